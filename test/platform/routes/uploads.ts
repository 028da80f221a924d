/**
 * Attachments over tus 1.0 at /v1/uploads (@tus/server + @tus/file-store). Creation needs the
 * metadata attachmentId, resultId, sha256 and mime; on completion the server hashes the stored
 * file and refuses a mismatch (460, upload removed), else records the attachment in sqlite.
 * An upload belongs to the inspector who created it and an attachment id to its inspector and
 * result: nobody else may HEAD, PATCH or DELETE the upload, nor store other bytes under the id.
 */
import { createHash } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import type { ServerOptions } from '@tus/server';
import { IdSchema, Sha256Schema } from '../../../shared/protocol/index.js';
import type { Db } from '../db.js';
import type { Ctx } from '../http.js';
import { HttpError } from '../http.js';
import type { Platform } from '../state.js';

type Upload = Parameters<NonNullable<ServerOptions['onUploadFinish']>>[1];
type TusRequest = Parameters<NonNullable<ServerOptions['onUploadFinish']>>[0];

export const UPLOADS_PATH = '/v1/uploads';
/** A shift's body-camera recording runs to several GB; photos and scans are far below this. */
const MAX_UPLOAD_BYTES = 16 * 1024 * 1024 * 1024;

function tusError(status: number, message: string): { status_code: number; body: string } {
  return { status_code: status, body: `${message}\n` };
}

function requiredMeta(upload: Upload): { attachmentId: string; resultId: string; sha256: string; mime: string } {
  const m = upload.metadata ?? {};
  const attachmentId = IdSchema.safeParse(m['attachmentId'] ?? '');
  const resultId = IdSchema.safeParse(m['resultId'] ?? '');
  const sha256 = Sha256Schema.safeParse(m['sha256'] ?? '');
  const mime = m['mime'] ?? '';
  if (!attachmentId.success || !resultId.success || !sha256.success || !mime) {
    throw tusError(400, 'Upload-Metadata 须包含 attachmentId、resultId、sha256（64位小写十六进制）和 mime');
  }
  return { attachmentId: attachmentId.data, resultId: resultId.data, sha256: sha256.data, mime };
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function inspectorOf(p: Platform, req: TusRequest): string {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.get('authorization') ?? '')?.[1] ?? '';
  const row = p.db.prepare("SELECT inspector_id FROM tokens WHERE token = ? AND kind = 'access'").get(token) as
    { inspector_id: string } | undefined;
  return row?.inspector_id ?? '';
}

const OWNERS = `CREATE TABLE IF NOT EXISTS upload_owners (
  upload_id TEXT PRIMARY KEY, inspector_id TEXT NOT NULL, attachment_id TEXT NOT NULL, result_id TEXT NOT NULL)`;
const ownersReady = new WeakSet<Db>();
function owners(db: Db): Db {
  if (!ownersReady.has(db)) {
    db.exec(OWNERS);
    ownersReady.add(db);
  }
  return db;
}

function notYours(message: string): HttpError {
  return new HttpError(403, 'NOT_YOUR_UPLOAD', message);
}

function metadataHeader(header: string | string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of String(header ?? '').split(',')) {
    const [k, v] = pair.trim().split(' ');
    if (k) out[k] = Buffer.from(v ?? '', 'base64').toString('utf8');
  }
  return out;
}

/** An attachment id already stored by someone else, or for another result, cannot be reused. */
function attachmentClaim(p: Platform, inspectorId: string, attachmentId: string, resultId: string): HttpError | null {
  const row = p.db.prepare('SELECT inspector_id, result_id FROM attachments WHERE id = ?').get(attachmentId) as
    { inspector_id: string; result_id: string } | undefined;
  if (row && (row.inspector_id !== inspectorId || row.result_id !== resultId))
    return notYours(`附件编号 ${attachmentId} 已被其他检查人员或其他结果使用，不能覆盖`);
  const result = p.db.prepare('SELECT inspector_id FROM results WHERE result_id = ?').get(resultId) as
    { inspector_id: string } | undefined;
  if (result && result.inspector_id !== inspectorId)
    return notYours(`结果 ${resultId} 由其他检查人员提交，不能为其上传附件`);
  return null;
}

/**
 * Before tus sees the request: creation may not claim another's attachment id or result, and
 * every request on an existing upload must come from the inspector who created it.
 */
export function authorizeUpload(p: Platform, inspectorId: string, ctx: Ctx): void {
  const uploadId = /^\/v1\/uploads\/([^/]+)$/.exec(ctx.url.pathname)?.[1];
  if (uploadId === undefined) {
    if (ctx.req.method !== 'POST') return;
    const meta = metadataHeader(ctx.req.headers['upload-metadata']);
    const refused = attachmentClaim(p, inspectorId, meta['attachmentId'] ?? '', meta['resultId'] ?? '');
    if (refused) throw refused;
    return;
  }
  const row = owners(p.db).prepare('SELECT inspector_id FROM upload_owners WHERE upload_id = ?').get(uploadId) as
    { inspector_id: string } | undefined;
  // Unknown here means tus never created it: the same answer tus gives, so the client starts afresh.
  if (!row) throw new HttpError(404, 'NOT_FOUND', '没有该上传');
  if (row.inspector_id !== inspectorId) throw notYours('该上传属于其他检查人员，不能查看、续传或删除');
}

export function createTus(p: Platform): Server {
  const store = new FileStore({ directory: p.uploadsDir });
  return new Server({
    path: UPLOADS_PATH,
    datastore: store,
    maxSize: MAX_UPLOAD_BYTES,
    respectForwardedHeaders: false,
    // CORS is answered by the simulator's own layer (same allowlist for every route).
    allowedOrigins: () => false,
    async onUploadCreate(req, upload) {
      const meta = requiredMeta(upload);
      owners(p.db)
        .prepare('INSERT INTO upload_owners (upload_id, inspector_id, attachment_id, result_id) VALUES (?, ?, ?, ?)')
        .run(upload.id, inspectorOf(p, req), meta.attachmentId, meta.resultId);
      return {};
    },
    async onUploadFinish(req, upload) {
      const meta = requiredMeta(upload);
      const actual = await fileSha256(join(p.uploadsDir, upload.id));
      if (actual !== meta.sha256) {
        await store.remove(upload.id).catch(() => undefined);
        throw tusError(460, `附件校验失败：SHA-256 应为 ${meta.sha256}，实际为 ${actual}`);
      }
      // Re-checked here: two creations of one id by different inspectors may both have passed the first check.
      const stored = p.db
        .prepare(
          `INSERT INTO attachments (id, result_id, sha256, size, mime, upload_id, inspector_id, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, upload_id = excluded.upload_id, stored_at = excluded.stored_at
                    WHERE attachments.inspector_id = excluded.inspector_id AND attachments.result_id = excluded.result_id`,
        )
        .run(
          meta.attachmentId,
          meta.resultId,
          actual,
          upload.size ?? 0,
          meta.mime,
          upload.id,
          inspectorOf(p, req),
          p.now().toISOString(),
        ).changes;
      if (stored !== 1) {
        await store.remove(upload.id).catch(() => undefined);
        throw tusError(403, `附件编号 ${meta.attachmentId} 已被其他检查人员或其他结果使用，不能覆盖`);
      }
      return {};
    },
  });
}

/** Fault / admin: forget a stored attachment (row and bytes), as if the storage lost it. */
export function loseAttachment(p: Platform, attachmentId: string): boolean {
  const row = p.db.prepare('SELECT upload_id FROM attachments WHERE id = ?').get(attachmentId) as
    { upload_id: string } | undefined;
  if (!row) return false;
  p.db.prepare('DELETE FROM attachments WHERE id = ?').run(attachmentId);
  rmSync(join(p.uploadsDir, row.upload_id), { force: true });
  rmSync(join(p.uploadsDir, `${row.upload_id}.json`), { force: true });
  return true;
}
