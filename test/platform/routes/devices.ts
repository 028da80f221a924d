/**
 * Device keys (`POST /v1/devices/keys`) and the check of a result's signed audit checkpoint.
 * A key is bound to the access token's inspector AND device, never to ids in the body: a result is
 * verified only under a key registered by the same inspector from the same device, so a key
 * registered on one laptop (or by a colleague) never vouches for another's results. Each
 * (inspector, device) registers one key, once; the same key again is a retry.
 */
import { randomUUID } from 'node:crypto';
import { verifyCheckpoint } from '../../../shared/integrity/checkpoint.js';
import { suiteFor, type SuiteId } from '../../../shared/integrity/suite.js';
import { RegisterDeviceKeyRequestSchema } from '../../../shared/protocol/index.js';
import type { RegisterDeviceKeyResponse, ResultUpload } from '../../../shared/protocol/index.js';
import { requireCaller } from '../auth.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, json, parseWith, readJson } from '../http.js';
import type { Platform } from '../state.js';

const tables = new WeakSet<object>();

function ensureTable(p: Platform): void {
  if (tables.has(p.db)) return;
  p.db.exec(`CREATE TABLE IF NOT EXISTS device_keys (
    key_id TEXT PRIMARY KEY, inspector_id TEXT NOT NULL, device_id TEXT NOT NULL, alg TEXT NOT NULL,
    public_key TEXT NOT NULL, registered_at TEXT NOT NULL, UNIQUE (inspector_id, device_id, public_key))`);
  tables.add(p.db);
}

interface KeyRow {
  key_id: string;
  alg: SuiteId;
  public_key: string;
  registered_at: string;
}

export async function registerDeviceKey(p: Platform, ctx: Ctx): Promise<Reply> {
  // requireCaller answers 403 DEVICE_REVOKED for a revoked device: a lost laptop registers nothing.
  const { inspector, deviceId } = requireCaller(p, ctx);
  const body = parseWith(RegisterDeviceKeyRequestSchema, await readJson(ctx), '设备密钥');
  ensureTable(p);
  const out = p.db.transaction((): { status: number; body: RegisterDeviceKeyResponse } => {
    const row = p.db
      .prepare('SELECT * FROM device_keys WHERE inspector_id = ? AND device_id = ? AND public_key = ?')
      .get(inspector.id, deviceId, body.publicKey) as KeyRow | undefined;
    if (row) {
      if (row.alg !== body.alg)
        throw new HttpError(422, 'VALIDATION', `该公钥已按算法 ${row.alg} 登记，不能再按 ${body.alg} 登记`);
      return {
        status: 200,
        body: { keyId: row.key_id, deviceId, alg: row.alg, created: false, registeredAt: row.registered_at },
      };
    }
    // One key per inspector and device, for good: whoever holds the inspector's session (a copied
    // token, a partition opened with the password) cannot swap in a key of their own and re-sign.
    const other = p.db
      .prepare('SELECT key_id FROM device_keys WHERE inspector_id = ? AND device_id = ?')
      .get(inspector.id, deviceId) as { key_id: string } | undefined;
    if (other)
      throw new HttpError(
        409,
        'DEVICE_KEY_EXISTS',
        '本设备已为该检查人员登记了另一把设备密钥，平台不会替换；如本机数据已重建，请联系管理员',
        { details: { keyId: other.key_id } },
      );
    const keyId = `dk-${randomUUID()}`;
    const registeredAt = p.now().toISOString();
    p.db
      .prepare(
        'INSERT INTO device_keys (key_id, inspector_id, device_id, alg, public_key, registered_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(keyId, inspector.id, deviceId, body.alg, body.publicKey, registeredAt);
    return { status: 201, body: { keyId, deviceId, alg: body.alg, created: true, registeredAt } };
  })();
  return json(out.status, out.body);
}

/**
 * Throws the refusal when the upload's checkpoint is not signed by a key this inspector registered
 * from this device: 403 DEVICE_KEY_UNREGISTERED (the device registers and sends again) or 422
 * SIGNATURE_INVALID (content, sequence or chain head changed after signing, or another key signed).
 */
export async function requireSignedCheckpoint(
  p: Platform,
  inspectorId: string,
  deviceId: string,
  up: ResultUpload,
): Promise<void> {
  ensureTable(p);
  const { keyId, signature, count, headHash } = up.auditCheckpoint;
  const key = p.db
    .prepare('SELECT * FROM device_keys WHERE key_id = ? AND inspector_id = ? AND device_id = ?')
    .get(keyId, inspectorId, deviceId) as KeyRow | undefined;
  if (!key)
    throw new HttpError(
      403,
      'DEVICE_KEY_UNREGISTERED',
      `设备密钥 ${keyId} 未在平台登记（或不属于当前检查人员和本设备），请先登记设备密钥后重新提交`,
    );
  const fields = {
    resultId: up.payload.resultId,
    contentHash: up.contentHash,
    deviceId: up.deviceId,
    deviceSeq: up.deviceSeq,
    count,
    headHash,
  };
  if (!(await verifyCheckpoint(suiteFor(key.alg), key.public_key, fields, signature)))
    throw new HttpError(
      422,
      'SIGNATURE_INVALID',
      '审计检查点的设备签名无法验证：结果内容、设备序号或审计日志在签名后被改动，或签名不是本设备密钥所作，平台拒收',
      { details: { keyId } },
    );
}

/** The registered public key of a keyId (tests and the admin view). */
export function deviceKeyOf(p: Platform, keyId: string): { publicKey: string; alg: SuiteId } | null {
  ensureTable(p);
  const row = p.db.prepare('SELECT alg, public_key FROM device_keys WHERE key_id = ?').get(keyId) as
    { alg: SuiteId; public_key: string } | undefined;
  return row ? { publicKey: row.public_key, alg: row.alg } : null;
}
