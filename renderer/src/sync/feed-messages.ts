/**
 * Messages between the pull worker and its feed workers (the threads that download, decode, parse
 * and validate credit-file pages in parallel). Envelopes are checked with zod; a prepared page
 * crosses as its summaries plus ONE transferred buffer holding every record's bytes (zero-copy),
 * and is checked for consistency on arrival. The records themselves were validated against the
 * shared schema in the feed worker and are not re-validated here.
 */
import { z } from 'zod';
import type { HttpError } from '../platform/http.js';
import type { QuarantineRow } from '../db/rows.js';
import type { SummaryChange } from '../db/repos/enterprises.pack.js';
import { PageHeaderSchema, type PageHeader, type PreparedPage } from './enterprise-prepare.js';

export const ToFeedWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('fetch'), id: z.number().int(), baseUrl: z.string().url(), token: z.string().nullable(),
    cursor: z.string(), limit: z.number().int().positive(), at: z.string(),
  }),
  z.object({ type: z.literal('cancel'), id: z.number().int() }),
]);
export type ToFeedWorker = z.infer<typeof ToFeedWorkerSchema>;

/** A prepared page as it crosses threads: raws as [offsets[i], offsets[i+1]) of `buffer`. */
export interface WirePage extends PageHeader {
  readonly changes: readonly SummaryChange[];
  readonly bad: readonly QuarantineRow[];
  readonly lineCount: number;
  readonly buffer: ArrayBuffer;
  readonly offsets: Uint32Array;
}

/** Diagnostics of the feed worker so far (cumulative): the pull worker adds the increase. */
const FeedTimingsSchema = z.object({ responseMs: z.number(), bodyMs: z.number(), parseMs: z.number(), validateMs: z.number(), bytes: z.number() });
export type FeedTimings = z.infer<typeof FeedTimingsSchema>;


export const FromFeedWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), id: z.number().int(), header: PageHeaderSchema }),
  z.object({ type: z.literal('unauthorized'), id: z.number().int(), timings: FeedTimingsSchema }),
  z.object({ type: z.literal('failed'), id: z.number().int(), error: z.object({ kind: z.string(), message: z.string() }).loose(), timings: FeedTimingsSchema }),
  z.object({
    type: z.literal('page'), id: z.number().int(), timings: FeedTimingsSchema,
    page: PageHeaderSchema.extend({
      changes: z.array(z.unknown()), bad: z.array(z.unknown()), lineCount: z.number().int().nonnegative(),
      buffer: z.instanceof(ArrayBuffer), offsets: z.instanceof(Uint32Array),
    }),
  }),
]);
export type FromFeedWorker =
  | { readonly type: 'header'; readonly id: number; readonly header: PageHeader }
  | { readonly type: 'unauthorized'; readonly id: number; readonly timings: FeedTimings }
  | { readonly type: 'failed'; readonly id: number; readonly error: HttpError; readonly timings: FeedTimings }
  | { readonly type: 'page'; readonly id: number; readonly page: WirePage; readonly timings: FeedTimings };

/** Packs a page's record bytes into one exactly-sized buffer to transfer. */
export function toWire(page: PreparedPage): { wire: WirePage; transfer: ArrayBuffer[] } {
  const offsets = new Uint32Array(page.raws.length + 1);
  let size = 0;
  page.raws.forEach((r, i) => {
    offsets[i] = size;
    size += r?.byteLength ?? 0;
  });
  offsets[page.raws.length] = size;
  const bytes = new Uint8Array(size);
  page.raws.forEach((r, i) => { if (r) bytes.set(r, offsets[i]!); });
  const wire: WirePage = {
    nextCursor: page.nextCursor, hasMore: page.hasMore, total: page.total, lineCount: page.lineCount,
    changes: page.changes, bad: page.bad, buffer: bytes.buffer, offsets,
  };
  return { wire, transfer: [bytes.buffer, offsets.buffer] };
}

/** The page back from its wire form; null when its parts do not fit together. */
export function fromWire(w: WirePage): PreparedPage | null {
  const n = w.changes.length;
  if (w.offsets.length !== n + 1 || w.offsets[n] !== w.buffer.byteLength || w.bad.length > w.lineCount || n > w.lineCount) return null;
  const raws: (Uint8Array | null)[] = new Array<Uint8Array | null>(n);
  for (let i = 0; i < n; i++) {
    const c = w.changes[i];
    const start = w.offsets[i]!;
    const end = w.offsets[i + 1]!;
    if (end < start || !c || typeof c !== 'object') return null;
    if (c.kind === 'tombstone') {
      if (end !== start || typeof c.uscc !== 'string') return null;
      raws[i] = null;
    } else {
      if (c.kind !== 'upsert' || end === start || typeof c.enterprise?.uscc !== 'string' || !Number.isSafeInteger(c.enterprise.version)) return null;
      raws[i] = new Uint8Array(w.buffer, start, end - start);
    }
  }
  return { nextCursor: w.nextCursor, hasMore: w.hasMore, total: w.total, lineCount: w.lineCount, changes: w.changes, bad: w.bad, raws };
}
