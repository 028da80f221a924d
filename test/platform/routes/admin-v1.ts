/**
 * Test-only admin routes under /v1/admin/* and the admin secret check shared with /__admin/*: the
 * simulator enforces who may do what, so even its test controls need a secret.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ADMIN_SECRET_HEADER, IdSchema } from '../../../shared/protocol/index.js';
import type { Admin } from '../admin.js';
import { hashPassword } from '../gen/inspectors.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, json, parseWith, readJson } from '../http.js';
import type { Platform } from '../state.js';

export function requireAdminSecret(p: Platform, ctx: Ctx): void {
  const given = ctx.req.headers[ADMIN_SECRET_HEADER];
  const a = Buffer.from(typeof given === 'string' ? given : '', 'utf8');
  const b = Buffer.from(p.adminSecret, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new HttpError(401, 'UNAUTHORIZED', `管理接口需要正确的管理密钥（请求头 ${ADMIN_SECRET_HEADER}）`);
  }
}

function deviceParam(ctx: Ctx): string {
  const id = IdSchema.safeParse(ctx.params['deviceId'] ?? '');
  if (!id.success) throw new HttpError(400, 'BAD_REQUEST', '设备编号格式不正确（只能包含字母、数字及 _ . : -）');
  return id.data;
}

export function adminDevice(p: Platform, admin: Admin, ctx: Ctx, action: 'revoke' | 'reinstate'): Reply {
  requireAdminSecret(p, ctx);
  const deviceId = deviceParam(ctx);
  return json(200, action === 'revoke' ? admin.revokeDevice(deviceId) : admin.reinstateDevice(deviceId));
}

export function adminKeyReleases(p: Platform, admin: Admin, ctx: Ctx): Reply {
  requireAdminSecret(p, ctx);
  const raw = ctx.url.searchParams.get('inspectorId');
  if (raw !== null && !IdSchema.safeParse(raw).success)
    throw new HttpError(400, 'BAD_REQUEST', 'inspectorId 参数格式不正确');
  return json(200, { releases: admin.keyReleases(raw ?? undefined) });
}

const NewPasswordSchema = z.object({
  password: z.string().min(8, '新密码不得少于 8 位').max(128, '新密码不得超过 128 位'),
});

/**
 * The station resets an inspector's password (the inspector forgot it): only the hash changes.
 * Sessions already issued stay valid, and the data key in escrow is untouched, so the inspector's
 * next online sign-in with the new password can recover what the old one sealed.
 */
export async function adminInspectorPassword(p: Platform, ctx: Ctx): Promise<Reply> {
  requireAdminSecret(p, ctx);
  const id = IdSchema.safeParse(ctx.params['inspectorId'] ?? '');
  if (!id.success) throw new HttpError(400, 'BAD_REQUEST', '检查员编号格式不正确（只能包含字母、数字及 _ . : -）');
  const { password } = parseWith(NewPasswordSchema, await readJson(ctx), '新密码');
  const salt = randomBytes(8).toString('hex');
  const changed = p.db
    .prepare('UPDATE inspectors SET salt = ?, password_hash = ? WHERE id = ?')
    .run(salt, hashPassword(password, salt), id.data).changes;
  if (changed === 0) throw new HttpError(404, 'NOT_FOUND', `没有编号为 ${id.data} 的检查员`);
  return json(200, { inspectorId: id.data, passwordChanged: true });
}
