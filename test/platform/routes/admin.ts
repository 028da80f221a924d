/** `/__admin/*` (JSON, only when faults are enabled): the Admin controls over HTTP for browser tests. */
import { z } from 'zod';
import type { Admin } from '../admin.js';
import { FaultRuleInputSchema } from '../faults.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, json, parseWith, readJson } from '../http.js';

const CountSchema = z.object({ count: z.number().int().nonnegative().max(1_000_000) });
const ReassignSchema = z.object({ from: z.string().optional(), to: z.string().optional() });

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, 'BAD_REQUEST', e instanceof Error ? e.message : String(e));
  }
}

export async function adminRoute(admin: Admin, ctx: Ctx): Promise<Reply> {
  const path = ctx.url.pathname.replace(/^\/__admin/, '');
  const method = ctx.req.method ?? 'GET';
  const body = method === 'POST' ? await readJson(ctx).catch(() => ({})) : {};
  let m: RegExpExecArray | null;
  if (method === 'POST' && path === '/enterprises/mutate')
    return json(200, { usccs: admin.mutateEnterprises(parseWith(CountSchema, body, '参数').count) });
  if (method === 'POST' && path === '/enterprises/remove')
    return json(200, { usccs: admin.removeEnterprises(parseWith(CountSchema, body, '参数').count) });
  if (method === 'POST' && path === '/horizon/advance') return json(200, { horizon: admin.advanceTombstoneHorizon() });
  if (method === 'POST' && (m = /^\/tasks\/([^/]+)\/cancel$/.exec(path))) {
    const id = decodeURIComponent(m[1] ?? '');
    return json(
      200,
      guard(() => admin.cancelTask(id)),
    );
  }
  if (method === 'POST' && (m = /^\/tasks\/([^/]+)\/reassign$/.exec(path))) {
    const id = decodeURIComponent(m[1] ?? '');
    const r = parseWith(ReassignSchema, body, '参数');
    return json(
      200,
      guard(() => admin.reassignTask(id, r.from, r.to)),
    );
  }
  if (method === 'GET' && (m = /^\/results\/([^/]+)\/counts$/.exec(path)))
    return json(200, admin.counts(decodeURIComponent(m[1] ?? '')));
  if (method === 'POST' && (m = /^\/attachments\/([^/]+)\/lose$/.exec(path)))
    return json(200, { lost: admin.loseAttachment(decodeURIComponent(m[1] ?? '')) });
  if (method === 'POST' && path === '/publish') return json(200, { published: admin.publishNow() });
  if (method === 'GET' && path === '/generated') return json(200, admin.generated());
  if (path === '/faults') {
    if (method === 'POST') {
      const rule = guard(() => admin.addFault(parseWith(FaultRuleInputSchema, body, '故障规则')));
      return json(201, { ...rule, path: rule.path.source });
    }
    if (method === 'DELETE') {
      admin.clearFaults();
      return json(200, { cleared: true });
    }
    if (method === 'GET')
      return json(
        200,
        admin.listFaults().map((r) => ({ ...r, path: r.path.source })),
      );
  }
  throw new HttpError(404, 'NOT_FOUND', `未知的管理接口：${method} ${ctx.url.pathname}`);
}
