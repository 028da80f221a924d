/**
 * Attachments over tus 1.0 at /v1/uploads (@tus/server + @tus/file-store). Creation needs the
 * metadata attachmentId, resultId, sha256 and mime; on completion the server hashes the stored
 * file and refuses a mismatch (460, upload removed), else records the attachment in sqlite.
 */
import { createHash } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { Server } from '@tus/server';
import type { ServerOptions } from '@tus/server';
import { IdSchema, Sha256Schema } from '../../../shared/protocol/index.js';
import type { Platform } from '../state.js';

type Upload = Parameters<NonNullable<ServerOptions['onUploadFinish']>>[1];
type TusRequest = Parameters<NonNullable<ServerOptions['onUploadFinish']>>[0];

export const UPLOADS_PATH = '/v1/uploads';
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

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

export function createTus(p: Platform): Server {
  const store = new FileStore({ directory: p.uploadsDir });
  return new Server({
    path: UPLOADS_PATH,
    datastore: store,
    maxSize: MAX_UPLOAD_BYTES,
    respectForwardedHeaders: false,
    // CORS is answered by the simulator's own layer (same allowlist for every route).
    allowedOrigins: () => false,
    async onUploadCreate(_req, upload) {
      requiredMeta(upload);
      return {};
    },
    async onUploadFinish(req, upload) {
      const meta = requiredMeta(upload);
      const actual = await fileSha256(join(p.uploadsDir, upload.id));
      if (actual !== meta.sha256) {
        await store.remove(upload.id).catch(() => undefined);
        throw tusError(460, `附件校验失败：SHA-256 应为 ${meta.sha256}，实际为 ${actual}`);
      }
      p.db
        .prepare(
          `INSERT INTO attachments (id, result_id, sha256, size, mime, upload_id, inspector_id, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, upload_id = excluded.upload_id, stored_at = excluded.stored_at`,
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
        );
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
