/**
 * Test-only admin routes under /v1/admin/* and the admin secret check shared with /__admin/*: the
 * simulator enforces who may do what, so even its test controls need a secret.
 */
import { timingSafeEqual } from 'node:crypto';
import { ADMIN_SECRET_HEADER, IdSchema } from '../../../shared/protocol/index.js';
import type { Admin } from '../admin.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, json } from '../http.js';
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
