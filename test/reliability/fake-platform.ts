/**
 * An in-memory platform for the model-based test: the platform protocol's result upload (idempotency
 * keys, attachment checks, held tasks, receipts, publication once) and a tus 1.0 endpoint, as a
 * `fetch` function — fast enough for thousands of schedules. The HTTP simulator (test/platform) is the
 * full implementation.
 *
 * It answers as the protocol says, which means it forgives some client bugs: a result re-sent under
 * a new key is answered as a harmless replay because the resultId is already stored. So it does not
 * only answer, it also counts what a stricter platform would have turned into a duplicate: every key
 * under which a result was accepted (a platform that deduplicated by key alone would have stored it
 * once per key), every key reused with another body, and every tus creation per attachment.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { ResultUploadSchema, type Receipt, type ResultUpload } from '../../shared/protocol/index.js';

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const err = (
  status: number,
  code: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response => json(status, { error: { code, message: code, ...extra } }, headers);

interface Stored {
  body: ResultUpload;
  state: 'accepted' | 'published' | 'held';
  receipt: Receipt;
}
interface Tus {
  length: number;
  offset: number;
  meta: Record<string, string>;
  chunks: Uint8Array[];
}

export class FakePlatform {
  readonly results = new Map<string, Stored>();
  readonly keys = new Map<string, { hash: string; status: number; body: unknown }>();
  readonly attachments = new Map<string, string>();
  readonly uploads = new Map<string, Tus>();
  /** Per resultId: how many distinct keys it was accepted (201, or a 200 replay) under. */
  readonly accepts = new Map<string, number>();
  readonly publications = new Map<string, number>();
  readonly cancelled = new Set<string>();
  /** Every Idempotency-Key a resultId was sent with: more than one means the client re-keyed. */
  readonly keysUsed = new Map<string, Set<string>>();
  /** Per resultId: requests refused because their key had been used with another body. */
  readonly keyReused = new Map<string, number>();
  /** Per attachmentId: tus upload resources created for it. */
  readonly creations = new Map<string, number>();
  private readonly acceptedUnder = new Map<string, Set<string>>();
  private nextUpload = 1;

  publish(): void {
    for (const [id, r] of this.results) {
      if (r.state !== 'accepted' || this.missing(r.body).length > 0) continue;
      r.state = 'published';
      this.publications.set(id, (this.publications.get(id) ?? 0) + 1);
    }
  }

  loseAttachment(id: string): void {
    this.attachments.delete(id);
  }

  /** Whether the tus upload behind a URL this platform handed out still exists. */
  uploadLive(uploadUrl: string): boolean {
    const id = /\/v1\/uploads\/(\d+)$/.exec(uploadUrl)?.[1];
    return id !== undefined && this.uploads.has(id);
  }

  private accepted(id: string, key: string): void {
    const keys = this.acceptedUnder.get(id) ?? new Set<string>();
    keys.add(key);
    this.acceptedUnder.set(id, keys);
    this.accepts.set(id, keys.size);
  }

  private missing(up: ResultUpload): string[] {
    return up.attachments.filter((a) => this.attachments.get(a.id) !== a.sha256).map((a) => a.id);
  }

  private receipt(id: string): Receipt {
    const r = this.results.get(id)!;
    return {
      ...r.receipt,
      publication: {
        ...r.receipt.publication,
        state: r.state,
        publishedAt: r.state === 'published' ? r.receipt.receivedAt : null,
      },
    };
  }

  async handle(method: string, url: URL, init: RequestInit | undefined): Promise<Response> {
    const path = url.pathname;
    const headers = (init?.headers ?? {}) as Record<string, string>;
    if (path === '/v1/uploads' && method === 'POST') return this.tusCreate(headers);
    const tus = /^\/v1\/uploads\/(\d+)$/.exec(path);
    if (tus) return this.tusPatchOrHead(method, tus[1]!, headers, init?.body);
    const receipt = /^\/v1\/results\/([^/]+)\/receipt$/.exec(path);
    if (receipt && method === 'GET') {
      const r = this.results.get(decodeURIComponent(receipt[1]!));
      if (!r) return err(404, 'NOT_FOUND');
      const missing = r.state === 'published' ? [] : this.missing(r.body);
      return missing.length > 0
        ? err(409, 'ATTACHMENTS_MISSING', { missing })
        : json(200, this.receipt(r.receipt.resultId));
    }
    const put = /^\/v1\/results\/([^/]+)$/.exec(path);
    if (put && method === 'PUT')
      return this.put(decodeURIComponent(put[1]!), headers['idempotency-key'] ?? '', String(init?.body ?? ''));
    return err(404, 'NOT_FOUND');
  }

  private tusCreate(h: Record<string, string>): Response {
    const meta = Object.fromEntries(
      (h['Upload-Metadata'] ?? '')
        .split(',')
        .filter(Boolean)
        .map((p) => {
          const [k, v] = p.split(' ');
          return [k ?? '', Buffer.from(v ?? '', 'base64').toString('utf8')];
        }),
    );
    const id = String(this.nextUpload++);
    const attachmentId = meta['attachmentId'] ?? '';
    this.creations.set(attachmentId, (this.creations.get(attachmentId) ?? 0) + 1);
    this.uploads.set(id, { length: Number(h['Upload-Length']), offset: 0, meta, chunks: [] });
    return new Response(null, {
      status: 201,
      headers: { Location: `http://fake.invalid/v1/uploads/${id}`, 'Tus-Resumable': '1.0.0' },
    });
  }

  private async tusPatchOrHead(
    method: string,
    id: string,
    h: Record<string, string>,
    body: unknown,
  ): Promise<Response> {
    const u = this.uploads.get(id);
    if (!u) return new Response(null, { status: 404 });
    const head = {
      'Upload-Offset': String(u.offset),
      'Upload-Length': String(u.length),
      'Tus-Resumable': '1.0.0',
      'Cache-Control': 'no-store',
    };
    if (method === 'HEAD') return new Response(null, { status: 200, headers: head });
    if (method !== 'PATCH') return new Response(null, { status: 405 });
    if (Number(h['Upload-Offset']) !== u.offset) return new Response(null, { status: 409 });
    const bytes = new Uint8Array(body instanceof Blob ? await body.arrayBuffer() : new ArrayBuffer(0));
    u.chunks.push(bytes);
    u.offset += bytes.length;
    if (u.offset === u.length) {
      const all = Buffer.concat(u.chunks);
      if (sha(all) !== u.meta['sha256']) {
        this.uploads.delete(id);
        return new Response(null, { status: 460 });
      }
      this.attachments.set(u.meta['attachmentId'] ?? '', sha(all));
    }
    return new Response(null, {
      status: 204,
      headers: { 'Upload-Offset': String(u.offset), 'Tus-Resumable': '1.0.0' },
    });
  }

  private put(id: string, key: string, raw: string): Response {
    const up = ResultUploadSchema.parse(JSON.parse(raw));
    this.keysUsed.set(id, new Set([...(this.keysUsed.get(id) ?? []), key]));
    const hash = sha(
      canonicalJson({ id, body: { ...up, attachments: up.attachments.map((a) => ({ ...a, uploadUrl: null })) } }),
    );
    const prior = this.keys.get(key);
    if (prior) {
      if (prior.hash !== hash) {
        this.keyReused.set(id, (this.keyReused.get(id) ?? 0) + 1);
        return err(422, 'IDEMPOTENCY_KEY_REUSED');
      }
      const lost = prior.status < 300 ? this.missing(up) : [];
      if (lost.length > 0) return err(409, 'ATTACHMENTS_MISSING', { missing: lost });
      return prior.status < 300 ? json(200, this.receipt(id)) : json(prior.status, prior.body);
    }
    const existing = this.results.get(id);
    if (existing) {
      if (existing.receipt.contentHash !== up.contentHash) return err(409, 'RESULT_CONFLICT');
      // The protocol's replay by resultId; counted, because under a new key it is a second upload.
      this.accepted(id, key);
      return json(200, this.receipt(id));
    }
    const missing = this.missing(up);
    if (missing.length > 0) return err(409, 'ATTACHMENTS_MISSING', { missing });
    const held = this.cancelled.has(up.taskId);
    const receipt: Receipt = {
      resultId: id,
      receivedAt: new Date().toISOString(),
      contentHash: up.contentHash,
      attachmentHashes: up.attachments.map((a) => ({ id: a.id, sha256: a.sha256 })),
      publication: { state: held ? 'held' : 'accepted', publishedAt: null, deadline: '2026-06-30' },
      clockSkewFlagged: false,
    };
    this.results.set(id, { body: up, state: held ? 'held' : 'accepted', receipt });
    this.accepted(id, key);
    const status = held ? 409 : 201;
    const body = held ? { error: { code: 'TASK_CANCELLED', message: 'held' } } : receipt;
    this.keys.set(key, { hash, status, body });
    return json(status, body);
  }
}
