import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { docNumbersRepo, type Databases } from '../db/index.js';
import type { HttpClient, HttpResult, RequestSpec } from '../platform/http.js';
import { disposeDatabases, freshDatabases } from '../testing/builders.js';
import { DOC_TYPES, perDocType } from '../../../shared/protocol/index.js';
import { BLOCK_SIZE, syncDocNumbers } from './doc-numbers.js';

const open: Databases[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await disposeDatabases(d);
});

interface Sent {
  path: string;
  body: Record<string, unknown>;
}

/** A platform double: numbers per type from a counter, answers replayed per requestId. */
function fakePlatform(opts: { failReserveOnce?: boolean; failReport?: boolean } = {}) {
  const sent: Sent[] = [];
  const byRequest = new Map<string, unknown>();
  const next: Record<string, number> = {};
  let failOnce = opts.failReserveOnce ?? false;
  const http: HttpClient = {
    async request<S extends z.ZodType>(spec: RequestSpec<S>): Promise<HttpResult<z.infer<S>>> {
      const body = spec.body as Record<string, unknown>;
      sent.push({ path: spec.path, body });
      const ok = (value: unknown) => ({
        ok: true as const,
        notModified: false as const,
        value: spec.schema.parse(value),
        status: 200,
        etag: null,
        serverDate: null,
      });
      if (spec.path.endsWith('/reserve')) {
        const id = String(body['requestId']);
        if (failOnce) {
          failOnce = false;
          // The platform committed the block but the answer was lost on the way back.
          const type = String(body['docType']);
          const from = next[type] ?? 1;
          next[type] = from + Number(body['count']);
          byRequest.set(id, { docType: type, prefix: 'P〔2026〕', from, to: from + Number(body['count']) - 1 });
          return { ok: false, error: { kind: 'network', message: '连接中断' } };
        }
        if (!byRequest.has(id)) {
          const type = String(body['docType']);
          const from = next[type] ?? 1;
          next[type] = from + Number(body['count']);
          byRequest.set(id, { docType: type, prefix: 'P〔2026〕', from, to: from + Number(body['count']) - 1 });
        }
        return ok(byRequest.get(id));
      }
      if (opts.failReport) return { ok: false, error: { kind: 'timeout', message: '请求超时' } };
      const used = body['used'] as unknown[];
      const voided = body['voided'] as unknown[];
      return ok({ accepted: used.length + voided.length });
    },
  };
  return { http, sent };
}

function setup(platform: ReturnType<typeof fakePlatform>) {
  const dbs = freshDatabases();
  open.push(dbs);
  const repo = docNumbersRepo(dbs.field);
  let n = 0;
  const deps = {
    http: platform.http,
    repo,
    deviceId: async () => 'dev-1',
    now: () => new Date('2026-03-05T00:00:00Z'),
    newId: () => `req-${++n}`,
  };
  return { repo, deps };
}

describe('syncDocNumbers', () => {
  it('reserves one block per document type and stops asking while enough numbers are left', async () => {
    const p = fakePlatform();
    const { repo, deps } = setup(p);
    const first = await syncDocNumbers(deps);
    expect(first.errors).toEqual([]);
    expect(first.reserved).toEqual(perDocType(() => BLOCK_SIZE));
    expect(await repo.remaining()).toEqual(perDocType(() => BLOCK_SIZE));
    const second = await syncDocNumbers(deps);
    expect(second.reserved).toEqual(perDocType(() => 0));
    expect(p.sent.filter((s) => s.path.endsWith('/reserve'))).toHaveLength(DOC_TYPES.length);
  });

  it('resends a request whose answer was lost with the same requestId and gets the same block', async () => {
    const p = fakePlatform({ failReserveOnce: true });
    const { repo, deps } = setup(p);
    const first = await syncDocNumbers(deps);
    expect(first.errors).toHaveLength(1);
    expect((await repo.pendingRequests()).map((r) => r.docType)).toEqual(['notice']);
    await syncDocNumbers(deps);
    const reserves = p.sent.filter((s) => s.path.endsWith('/reserve') && s.body['docType'] === 'notice');
    expect(reserves.map((s) => s.body['requestId'])).toEqual(['req-1', 'req-1']);
    const n = await repo.take({ docType: 'notice', taskId: 't', resultId: 'r', at: '2026-03-05T01:00:00Z' });
    expect(n.serial).toBe(1);
  });

  it('reports used numbers with result id and document hash, voided ones with the reason, once', async () => {
    const p = fakePlatform();
    const { repo, deps } = setup(p);
    await syncDocNumbers(deps);
    const a = await repo.take({ docType: 'record', taskId: 't1', resultId: 'res-1', at: '2026-03-05T01:00:00Z' });
    await repo.setDocHash('record', a.serial, 'a'.repeat(64));
    const b = await repo.take({ docType: 'record', taskId: 't1', resultId: 'res-1', at: '2026-03-05T01:05:00Z' });
    await repo.void('record', b.serial, '打印错误', '2026-03-05T01:06:00Z');
    const out = await syncDocNumbers(deps);
    expect(out.reported).toBe(2);
    const report = p.sent.find((s) => s.path.endsWith('/report'));
    expect(report?.body).toEqual({
      deviceId: 'dev-1',
      used: [{ docType: 'record', serial: a.serial, resultId: 'res-1', docHash: 'a'.repeat(64) }],
      voided: [{ docType: 'record', serial: b.serial, reason: '打印错误' }],
    });
    await syncDocNumbers(deps);
    expect(p.sent.filter((s) => s.path.endsWith('/report'))).toHaveLength(1);
  });

  it('keeps numbers unreported when the report fails', async () => {
    const p = fakePlatform({ failReport: true });
    const { repo, deps } = setup(p);
    await syncDocNumbers(deps);
    await repo.take({ docType: 'notice', taskId: 't1', resultId: 'res-1', at: '2026-03-05T01:00:00Z' });
    const out = await syncDocNumbers(deps);
    expect(out.errors[0]).toContain('上报文书编号使用情况失败');
    expect(await repo.unreported()).toHaveLength(1);
  });
});
