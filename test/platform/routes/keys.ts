/**
 * Key escrow (`PUT`/`GET /v1/keys/data-key`) and the station cache key (`GET /v1/keys/station-cache`).
 * A data key belongs to one inspector, is stored wrapped by the master key, and is escrowed or
 * released only within a short window after a password login (a refreshed session proves the
 * laptop, not the password). Every release is logged with the device it went to.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { KEY_RELEASE_WINDOW_SECONDS, PutDataKeyRequestSchema } from '../../../shared/protocol/index.js';
import type {
  DataKeyResponse,
  Inspector,
  KeyRelease,
  PutDataKeyResponse,
  StationCacheKeyResponse,
} from '../../../shared/protocol/index.js';
import type { Caller } from '../auth.js';
import { requireCaller } from '../auth.js';
import { stationIdFor } from '../gen/inspectors.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, json, parseWith, readJson } from '../http.js';
import { unwrapKey, wrapKey } from '../master-key.js';
import type { Platform } from '../state.js';

const dataKeyAad = (inspectorId: string, keyId: string): string => `data-key:v1:${inspectorId}:${keyId}`;
const stationKeyAad = (stationId: string, keyId: string): string => `station-cache:v1:${stationId}:${keyId}`;

function requireRecentPassword(p: Platform, caller: Caller): void {
  if (p.now().getTime() - caller.authAt > KEY_RELEASE_WINDOW_SECONDS * 1000) {
    throw new HttpError(
      403,
      'REAUTH_REQUIRED',
      `数据密钥只能在输入密码联网登录后 ${KEY_RELEASE_WINDOW_SECONDS / 60} 分钟内取回或备份，请重新输入密码登录`,
    );
  }
}

function logRelease(p: Platform, r: KeyRelease): void {
  p.db
    .prepare('INSERT INTO key_releases (kind, inspector_id, device_id, key_id, released_at) VALUES (?, ?, ?, ?, ?)')
    .run(r.kind, r.inspectorId, r.deviceId, r.keyId, r.releasedAt);
}

interface DataKeyRow {
  key_id: string;
  wrapped: Buffer;
}

export async function putDataKey(p: Platform, ctx: Ctx): Promise<Reply> {
  const caller = requireCaller(p, ctx);
  requireRecentPassword(p, caller);
  const body = parseWith(PutDataKeyRequestSchema, await readJson(ctx), '数据密钥');
  const raw = Buffer.from(body.key, 'base64url');
  // The schema's shape guarantees this; a mismatch here is a broken schema, not bad input.
  if (raw.length !== 32) throw new Error(`key decoded to ${raw.length} bytes`);
  const me = caller.inspector.id;
  const out = p.db.transaction((): { status: number; body: PutDataKeyResponse } => {
    const row = p.db.prepare('SELECT key_id, wrapped FROM data_keys WHERE inspector_id = ?').get(me) as
      DataKeyRow | undefined;
    if (row) {
      const held = unwrapKey(p.masterKey, row.wrapped, dataKeyAad(me, row.key_id));
      if (row.key_id === body.keyId && timingSafeEqual(held, raw))
        return { status: 200, body: { keyId: row.key_id, created: false } };
      throw new HttpError(409, 'KEY_EXISTS', '平台已保存该执法人员的另一把数据密钥，不会覆盖；请取回已保存的密钥使用', {
        details: { keyId: row.key_id },
      });
    }
    p.db
      .prepare('INSERT INTO data_keys (inspector_id, key_id, wrapped, device_id, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(
        me,
        body.keyId,
        wrapKey(p.masterKey, raw, dataKeyAad(me, body.keyId)),
        caller.deviceId,
        p.now().toISOString(),
      );
    return { status: 201, body: { keyId: body.keyId, created: true } };
  })();
  return json(out.status, out.body);
}

export function getDataKey(p: Platform, ctx: Ctx): Reply {
  const caller = requireCaller(p, ctx);
  requireRecentPassword(p, caller);
  const me = caller.inspector.id;
  const out = p.db.transaction((): DataKeyResponse => {
    const row = p.db.prepare('SELECT key_id, wrapped FROM data_keys WHERE inspector_id = ?').get(me) as
      DataKeyRow | undefined;
    if (!row) throw new HttpError(404, 'NO_KEY', '平台上没有该执法人员的数据密钥');
    const key = unwrapKey(p.masterKey, row.wrapped, dataKeyAad(me, row.key_id));
    // Logged in the same transaction as the read: no release goes unrecorded.
    logRelease(p, {
      kind: 'data-key',
      inspectorId: me,
      deviceId: caller.deviceId,
      keyId: row.key_id,
      releasedAt: p.now().toISOString(),
    });
    return { keyId: row.key_id, key: key.toString('base64url') };
  })();
  return json(200, out);
}

export function stationIdOf(inspector: Inspector): string {
  return inspector.stationId ?? stationIdFor(inspector.station);
}

interface StationKeyRow {
  key_id: string;
  wrapped: Buffer;
}

/** The station's cache key, made on first need; call inside a transaction. */
export function stationCacheKey(p: Platform, stationId: string): { keyId: string; key: Buffer } {
  let row = p.db.prepare('SELECT key_id, wrapped FROM station_keys WHERE station_id = ?').get(stationId) as
    StationKeyRow | undefined;
  if (!row) {
    const keyId = `sck-${randomBytes(8).toString('hex')}`;
    row = { key_id: keyId, wrapped: wrapKey(p.masterKey, randomBytes(32), stationKeyAad(stationId, keyId)) };
    p.db
      .prepare('INSERT INTO station_keys (station_id, key_id, wrapped, created_at) VALUES (?, ?, ?, ?)')
      .run(stationId, row.key_id, row.wrapped, p.now().toISOString());
  }
  return { keyId: row.key_id, key: unwrapKey(p.masterKey, row.wrapped, stationKeyAad(stationId, row.key_id)) };
}

/**
 * The credit-file feed is the same for every inspector of a station, so its cache is sealed with
 * one key per station, made on first request. Any signed-in inspector of the station may have it:
 * they can read the feed it protects anyway.
 */
export function getStationCacheKey(p: Platform, ctx: Ctx): Reply {
  const caller = requireCaller(p, ctx);
  const stationId = stationIdOf(caller.inspector);
  const out = p.db.transaction((): StationCacheKeyResponse => {
    const { keyId, key } = stationCacheKey(p, stationId);
    logRelease(p, {
      kind: 'station-cache',
      inspectorId: caller.inspector.id,
      deviceId: caller.deviceId,
      keyId,
      releasedAt: p.now().toISOString(),
    });
    return { stationId, keyId, key: key.toString('base64url') };
  })();
  return json(200, out);
}

export function keyReleases(p: Platform, inspectorId: string | null): KeyRelease[] {
  const rows = (
    inspectorId === null
      ? p.db.prepare('SELECT * FROM key_releases ORDER BY id').all()
      : p.db.prepare('SELECT * FROM key_releases WHERE inspector_id = ? ORDER BY id').all(inspectorId)
  ) as { kind: KeyRelease['kind']; inspector_id: string; device_id: string; key_id: string; released_at: string }[];
  return rows.map((r) => ({
    kind: r.kind,
    inspectorId: r.inspector_id,
    deviceId: r.device_id,
    keyId: r.key_id,
    releasedAt: r.released_at,
  }));
}
