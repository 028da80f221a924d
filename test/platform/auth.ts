/**
 * Auth: login with 执法证号 + password, rotating refresh tokens, Bearer access tokens. An expired
 * access token gets 401 TOKEN_EXPIRED so the client refreshes once. Every token is bound to the
 * device id given at login; a revoked device gets 403 DEVICE_REVOKED for login, refresh and every
 * authenticated request. Tokens remember when the password was last proven (`auth_at`), which key
 * release needs.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Inspector, LoginResponse, Tokens } from '../../shared/protocol/index.js';
import { InspectorSchema, LoginRequestSchema, RefreshRequestSchema } from '../../shared/protocol/index.js';
import { hashPassword } from './gen/inspectors.js';
import type { Ctx, Reply } from './http.js';
import { HttpError, json, parseWith, readJson } from './http.js';
import type { Platform } from './state.js';

const REFRESH_TTL_SECONDS = 30 * 24 * 3600;

interface InspectorRow {
  id: string;
  salt: string;
  password_hash: string;
  json: string;
}
interface TokenRow {
  token: string;
  kind: string;
  inspector_id: string;
  device_id: string;
  expires_at: number;
  revoked: number;
  auth_at: number;
}

/** The signed-in caller: who, from which device (from the token, never a body), and when the password was proven. */
export interface Caller {
  readonly inspector: Inspector;
  readonly deviceId: string;
  /** Epoch ms of the password login this session descends from. */
  readonly authAt: number;
}

export function isDeviceRevoked(p: Platform, deviceId: string): boolean {
  const row = p.db.prepare('SELECT revoked FROM devices WHERE device_id = ?').get(deviceId) as
    { revoked: number } | undefined;
  return row?.revoked === 1;
}

function refuseRevoked(p: Platform, deviceId: string): void {
  if (isDeviceRevoked(p, deviceId)) {
    throw new HttpError(
      403,
      'DEVICE_REVOKED',
      '该设备已被平台停用（如设备丢失后挂失），平台拒绝来自该设备的请求；设备找回后请联系管理员恢复',
    );
  }
}

function issueTokens(p: Platform, inspectorId: string, deviceId: string, authAt: number): Tokens {
  const now = p.now().getTime();
  const accessToken = randomBytes(24).toString('base64url');
  const refreshToken = randomBytes(32).toString('base64url');
  const insert = p.db.prepare(
    'INSERT INTO tokens (token, kind, inspector_id, device_id, expires_at, auth_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  insert.run(accessToken, 'access', inspectorId, deviceId, now + p.tokenTtlSeconds * 1000, authAt);
  insert.run(refreshToken, 'refresh', inspectorId, deviceId, now + REFRESH_TTL_SECONDS * 1000, authAt);
  return { accessToken, refreshToken, expiresIn: p.tokenTtlSeconds, serverTime: new Date(now).toISOString() };
}

export function inspectorById(p: Platform, id: string): Inspector | null {
  const row = p.db.prepare('SELECT json FROM inspectors WHERE id = ?').get(id) as { json: string } | undefined;
  return row ? InspectorSchema.parse(JSON.parse(row.json)) : null;
}

export async function login(p: Platform, ctx: Ctx): Promise<Reply> {
  const body = parseWith(LoginRequestSchema, await readJson(ctx), '登录请求');
  const row = p.db
    .prepare('SELECT id, salt, password_hash, json FROM inspectors WHERE cert_no = ?')
    .get(body.certNo) as InspectorRow | undefined;
  const given = hashPassword(body.password, row?.salt ?? 'no-such-inspector');
  if (!row || !timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(row.password_hash, 'hex'))) {
    throw new HttpError(401, 'UNAUTHORIZED', '执法证号或密码错误');
  }
  // Checked after the password, so the answer tells nothing about a device to someone without one.
  refuseRevoked(p, body.deviceId);
  const inspector = InspectorSchema.parse(JSON.parse(row.json));
  const tokens = p.db.transaction(() => issueTokens(p, row.id, body.deviceId, p.now().getTime()))();
  const out: LoginResponse = { ...tokens, inspector };
  return json(200, out);
}

export async function refresh(p: Platform, ctx: Ctx): Promise<Reply> {
  const body = parseWith(RefreshRequestSchema, await readJson(ctx), '刷新请求');
  const tokens = p.db.transaction(() => {
    const row = p.db.prepare("SELECT * FROM tokens WHERE token = ? AND kind = 'refresh'").get(body.refreshToken) as
      TokenRow | undefined;
    if (row) refuseRevoked(p, row.device_id);
    if (!row || row.revoked) throw new HttpError(401, 'UNAUTHORIZED', '登录已失效，请重新登录（刷新令牌无效或已使用）');
    if (row.expires_at <= p.now().getTime()) throw new HttpError(401, 'UNAUTHORIZED', '登录已过期，请重新登录');
    // Rotation: a refresh token is good for exactly one use.
    p.db.prepare('UPDATE tokens SET revoked = 1 WHERE token = ?').run(row.token);
    return issueTokens(p, row.inspector_id, row.device_id, row.auth_at);
  })();
  return json(200, tokens);
}

/** The signed-in caller of a request, or a 401 (no valid token) / 403 DEVICE_REVOKED. */
export function requireCaller(p: Platform, ctx: Ctx): Caller {
  const header = ctx.req.headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) throw new HttpError(401, 'UNAUTHORIZED', '缺少访问令牌（Authorization: Bearer …）');
  const row = p.db.prepare("SELECT * FROM tokens WHERE token = ? AND kind = 'access'").get(m[1]) as
    TokenRow | undefined;
  // Before the revoked-token check: revocation also revokes the device's tokens, and the device
  // must learn why (it destroys its local key copies), not merely that it was signed out.
  if (row) refuseRevoked(p, row.device_id);
  if (!row || row.revoked) throw new HttpError(401, 'UNAUTHORIZED', '访问令牌无效，请重新登录');
  if (ctx.fault?.kind === 'expire-token' || row.expires_at <= p.now().getTime()) {
    throw new HttpError(401, 'TOKEN_EXPIRED', '访问令牌已过期，请刷新令牌后重试');
  }
  const inspector = inspectorById(p, row.inspector_id);
  if (!inspector) throw new HttpError(401, 'UNAUTHORIZED', '账号不存在');
  return { inspector, deviceId: row.device_id, authAt: row.auth_at };
}

/** The signed-in inspector of a request (see requireCaller). */
export function requireInspector(p: Platform, ctx: Ctx): Inspector {
  return requireCaller(p, ctx).inspector;
}

/** Revoke (lost laptop) or reinstate (found) a device. Revoking also ends every session on it. */
export function setDeviceRevoked(
  p: Platform,
  deviceId: string,
  revoked: boolean,
): { deviceId: string; revoked: boolean; changedAt: string } {
  const changedAt = p.now().toISOString();
  p.db.transaction(() => {
    p.db
      .prepare(
        'INSERT INTO devices (device_id, revoked, changed_at) VALUES (?, ?, ?) ON CONFLICT(device_id) DO UPDATE SET revoked = excluded.revoked, changed_at = excluded.changed_at',
      )
      .run(deviceId, revoked ? 1 : 0, changedAt);
    if (revoked) p.db.prepare('UPDATE tokens SET revoked = 1 WHERE device_id = ?').run(deviceId);
  })();
  return { deviceId, revoked, changedAt };
}
