/**
 * "At most once", checked on the client's side of the wire rather than through the fake platform's
 * own rules (which answer a re-keyed or repeated upload with a harmless replay and so would hide it).
 * The ledger records every request the client's transport emits, before any injected fault decides
 * its fate, and the key each result was given when it was finalized; it checks each request against
 * the client's own database at the moment it is sent, and the client's records after a crash and at
 * the end. Every breach is kept as a sentence naming the result, the keys or the URLs involved.
 */
import { canonicalJson } from '../../shared/domain/canonical.js';
import type { FieldDb } from '../../renderer/src/db/index.js';
import { sha } from './harness.js';

export interface SentRequest {
  readonly generation: number;
  readonly method: string;
  readonly path: string;
  readonly key: string | null;
  /** PUT: hash of the body with upload URLs left out (a re-uploaded attachment has a new one). */
  readonly bodyHash: string | null;
  /** tus creation: the attachment it is for (from Upload-Metadata). */
  readonly attachmentId: string | null;
}

/** Reports whether the fake platform still holds the tus upload behind a URL. */
export type UploadLive = (uploadUrl: string) => boolean;

const SETTLED = new Set(['accepted', 'published', 'needs_review']);

function lowerCaseHeaders(init: RequestInit | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
  );
}

function metadataValue(header: string | undefined, name: string): string | null {
  for (const pair of (header ?? '').split(',')) {
    const [k, v] = pair.trim().split(' ');
    if (k === name) return Buffer.from(v ?? '', 'base64').toString('utf8');
  }
  return null;
}

function bodyHashOf(body: unknown): string {
  const up = JSON.parse(String(body)) as { attachments?: Record<string, unknown>[] };
  return sha(canonicalJson({ ...up, attachments: (up.attachments ?? []).map((a) => ({ ...a, uploadUrl: null })) }));
}

export class Ledger {
  readonly sent: SentRequest[] = [];
  readonly violations: string[] = [];
  /** resultId → the Idempotency-Key stored with it at finalize, before anything was sent. */
  private readonly keys = new Map<string, string>();
  /** resultId → hash of the first PUT body sent for it. */
  private readonly bodies = new Map<string, string>();
  /** Requests in flight per resource ("PUT r-1", "tus att-1") and generation. */
  private readonly inFlight = new Map<string, number>();

  /** Remembers the key the client stored for a freshly finalized result. */
  async finalized(db: FieldDb, resultId: string): Promise<void> {
    const ops = await db.outbox.where('resultId').equals(resultId).toArray();
    if (ops.length !== 1) throw new Error(`finalize of ${resultId} stored ${ops.length} outbox ops`);
    this.keys.set(resultId, ops[0]!.opId);
  }

  /**
   * Records a request and checks it against the client's database as it is at the moment of sending.
   * Returns a function to call when the request is over, with the status the client saw (null when
   * the request or its answer was lost, or the app died).
   */
  async send(
    db: FieldDb,
    generation: number,
    url: URL,
    init: RequestInit | undefined,
    live: UploadLive,
  ): Promise<(status: number | null) => void> {
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = lowerCaseHeaders(init);
    const put = method === 'PUT' ? /^\/v1\/results\/([^/]+)$/.exec(url.pathname) : null;
    const creation = method === 'POST' && url.pathname === '/v1/uploads';
    const entry: SentRequest = {
      generation,
      method,
      path: url.pathname,
      key: headers['idempotency-key'] ?? null,
      bodyHash: put ? bodyHashOf(init?.body) : null,
      attachmentId: creation ? metadataValue(headers['upload-metadata'], 'attachmentId') : null,
    };
    this.sent.push(entry);
    const resource = put
      ? `PUT ${decodeURIComponent(put[1]!)}`
      : creation
        ? `tus creation for ${entry.attachmentId}`
        : null;
    if (put) await this.checkPut(db, decodeURIComponent(put[1]!), entry);
    if (creation) await this.checkCreation(db, entry, live);
    if (resource === null) return () => undefined;
    const slot = `${resource} #${generation}`;
    if ((this.inFlight.get(slot) ?? 0) > 0)
      this.violations.push(`${resource} sent while the same app instance still had one in flight (double send)`);
    this.inFlight.set(slot, (this.inFlight.get(slot) ?? 0) + 1);
    return () => this.inFlight.set(slot, (this.inFlight.get(slot) ?? 1) - 1);
  }

  private async checkPut(db: FieldDb, resultId: string, entry: SentRequest): Promise<void> {
    const key = this.keys.get(resultId);
    if (key === undefined) {
      this.violations.push(`PUT for ${resultId}, which was never finalized`);
      return;
    }
    if (entry.key !== key)
      this.violations.push(
        `PUT ${resultId} carried Idempotency-Key ${entry.key ?? '(none)'}; the key stored at finalize is ${key} (re-keyed)`,
      );
    const first = this.bodies.get(resultId);
    if (first === undefined) this.bodies.set(resultId, entry.bodyHash!);
    else if (first !== entry.bodyHash)
      this.violations.push(
        `PUT ${resultId} sent a body (hash ${entry.bodyHash!.slice(0, 12)}) other than its first (${first.slice(0, 12)})`,
      );
    const op = entry.key === null ? undefined : await db.outbox.get(entry.key);
    if (!op || op.resultId !== resultId)
      this.violations.push(
        `PUT ${resultId} sent with key ${entry.key ?? '(none)'} that is not stored on its outbox op at the time of sending`,
      );
    else if (SETTLED.has(op.state))
      this.violations.push(`PUT ${resultId} sent again although its op is already ${op.state} (double send)`);
  }

  private async checkCreation(db: FieldDb, entry: SentRequest, live: UploadLive): Promise<void> {
    if (entry.attachmentId === null) {
      this.violations.push('tus creation without an attachmentId in Upload-Metadata');
      return;
    }
    const row = await db.uploads.get(entry.attachmentId);
    if (row?.uploadUrl && live(row.uploadUrl)) {
      this.violations.push(
        `second tus creation for ${entry.attachmentId} while its stored upload URL ${row.uploadUrl} is still live on the platform (should have resumed it)`,
      );
    }
  }

  /**
   * The client's own records: one outbox op per finalized result, under the key it was finalized
   * with; every receipt stored for its own result and content, alike on the op, the result and the
   * receipts table; no receipt for anything that was not finalized.
   */
  async checkRecords(db: FieldDb, when: string): Promise<void> {
    const [ops, receipts] = await Promise.all([db.outbox.toArray(), db.receipts.toArray()]);
    for (const [resultId, key] of this.keys) {
      const mine = ops.filter((o) => o.resultId === resultId);
      if (mine.length !== 1)
        this.violations.push(
          `${when}: ${resultId} has ${mine.length} outbox ops (${mine.map((o) => o.opId).join(', ')})`,
        );
      else if (mine[0]!.opId !== key)
        this.violations.push(`${when}: ${resultId}'s outbox op is keyed ${mine[0]!.opId}, not ${key} (re-keyed)`);
    }
    for (const op of ops) {
      if (!this.keys.has(op.resultId))
        this.violations.push(`${when}: outbox op ${op.opId} for ${op.resultId}, which was never finalized`);
      const stored = receipts.find((r) => r.resultId === op.resultId);
      if (op.state !== 'accepted' && op.state !== 'published') continue;
      const result = await db.results.get(op.resultId);
      const same =
        stored &&
        op.receipt &&
        result?.receipt &&
        canonicalJson(stored.receipt) === canonicalJson(op.receipt) &&
        canonicalJson(result.receipt) === canonicalJson(op.receipt);
      if (!same)
        this.violations.push(
          `${when}: ${op.resultId} is ${op.state} but its receipt is not stored alike on the op, the result and the receipts table`,
        );
      else if (op.receipt!.resultId !== op.resultId || op.receipt!.contentHash !== result!.contentHash)
        this.violations.push(
          `${when}: ${op.resultId} holds a receipt for ${op.receipt!.resultId} / content ${op.receipt!.contentHash.slice(0, 12)}`,
        );
    }
    for (const r of receipts)
      if (!this.keys.has(r.resultId))
        this.violations.push(`${when}: a receipt is stored for ${r.resultId}, which was never finalized`);
  }
}
