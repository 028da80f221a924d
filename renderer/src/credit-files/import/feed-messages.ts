/**
 * Messages between the pull worker and its feed workers (the threads that download, decode, parse
 * and validate credit-file pages in parallel). Envelopes are checked with zod; a prepared page
 * crosses as its summaries plus ONE transferred buffer holding every record's bytes (zero-copy),
 * and is checked for consistency on arrival. The records themselves were validated against the
 * shared schema in the feed worker and are not re-validated here.
 */
import { z } from 'zod';
import type { HttpError } from '../../platform/http.js';
import type { QuarantineRow, SealedPageChunk, SummaryChange } from '../../db/index.js';
import { SUMMARY_COLUMNS, SUMMARY_FIELDS, summaryOf, type SummaryField } from '../summary-columns.js';
import { PageHeaderSchema, type PageHeader, type PreparedPage } from './enterprise-prepare.js';

export const ToFeedWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('fetch'),
    id: z.number().int(),
    baseUrl: z.string().url(),
    token: z.string().nullable(),
    cursor: z.string(),
    limit: z.number().int().positive(),
    at: z.string(),
    /** Seal the page's chunks under the station cache key, with ids from chunkBase (null: leave it to the write). */
    seal: z
      .object({
        dbName: z.string().min(1),
        keyId: z.string().min(1),
        key: z.instanceof(Uint8Array).refine((k) => k.length === 32, '站点缓存密钥应为32字节'),
        chunkBase: z.number().int().nonnegative(),
      })
      .nullable()
      .optional(),
  }),
  z.object({ type: z.literal('cancel'), id: z.number().int() }),
  /** Prepare (validate, seal) one page of a verified snapshot: its NDJSON record lines as bytes. */
  z.object({
    type: z.literal('prepare'),
    id: z.number().int(),
    lines: z.instanceof(Uint8Array),
    /** `lines` is one gzip member of a snapshot: the worker decompresses it first. */
    gzip: z.boolean().optional(),
    header: PageHeaderSchema,
    limit: z.number().int().positive(),
    at: z.string(),
    seal: z
      .object({
        dbName: z.string().min(1),
        keyId: z.string().min(1),
        key: z.instanceof(Uint8Array).refine((k) => k.length === 32, '站点缓存密钥应为32字节'),
        chunkBase: z.number().int().nonnegative(),
      })
      .nullable(),
  }),
]);
export type ToFeedWorker = z.infer<typeof ToFeedWorkerSchema>;

/**
 * The summaries of a page's changes as columns (index i = the i-th change): structured clone
 * copies arrays of strings and typed arrays far faster than 5,000 small objects with nested
 * ones (measured with v8.serialize: 20 ms a page as objects, 8 ms as columns including the
 * conversion both ways). Tombstones carry only kind, seq and uscc ('' / 0 elsewhere).
 */
export interface WireChanges {
  /** 1 = upsert, 2 = tombstone. */
  readonly kinds: Uint8Array<ArrayBuffer>;
  readonly seqs: Float64Array<ArrayBuffer>;
  readonly versions: Float64Array<ArrayBuffer>;
  /** One array per summary column, by field: each value as the column's text. */
  readonly columns: Readonly<Record<SummaryField, readonly string[]>>;
}

/** A sealed chunk as it crosses threads (its buffers transferred). */
export interface WireSealedChunk {
  readonly id: number;
  readonly keyId: string;
  readonly changeIdx: Uint32Array;
  readonly chunk: Uint8Array;
  readonly search: Uint8Array;
  readonly dir: Uint8Array;
}

/** A prepared page as it crosses threads: raws as [offsets[i], offsets[i+1]) of `buffer`. */
export interface WirePage extends PageHeader {
  readonly sealed?: readonly WireSealedChunk[];
  readonly changes: WireChanges;
  readonly bad: readonly QuarantineRow[];
  readonly lineCount: number;
  readonly buffer: ArrayBuffer;
  readonly offsets: Uint32Array;
}

/** Diagnostics of the feed worker so far (cumulative): the pull worker adds the increase. */
const FeedTimingsSchema = z.object({
  responseMs: z.number(),
  bodyMs: z.number(),
  parseMs: z.number(),
  validateMs: z.number(),
  /** Absent from a worker that seals nothing (no station key). */
  sealMs: z.number().optional(),
  bytes: z.number(),
});
export type FeedTimings = z.infer<typeof FeedTimingsSchema>;

export const FromFeedWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('header'), id: z.number().int(), header: PageHeaderSchema }),
  z.object({ type: z.literal('unauthorized'), id: z.number().int(), timings: FeedTimingsSchema }),
  z.object({
    type: z.literal('failed'),
    id: z.number().int(),
    error: z.object({ kind: z.string(), message: z.string() }).loose(),
    timings: FeedTimingsSchema,
  }),
  z.object({
    type: z.literal('page'),
    id: z.number().int(),
    timings: FeedTimingsSchema,
    page: PageHeaderSchema.extend({
      changes: z.object({
        kinds: z.instanceof(Uint8Array),
        seqs: z.instanceof(Float64Array),
        versions: z.instanceof(Float64Array),
        columns: z.record(z.enum(SUMMARY_FIELDS), z.array(z.string())),
      }),
      bad: z.array(z.unknown()),
      lineCount: z.number().int().nonnegative(),
      buffer: z.instanceof(ArrayBuffer),
      offsets: z.instanceof(Uint32Array),
      sealed: z
        .array(
          z.object({
            id: z.number().int().nonnegative(),
            keyId: z.string(),
            changeIdx: z.instanceof(Uint32Array),
            chunk: z.instanceof(Uint8Array),
            search: z.instanceof(Uint8Array),
            dir: z.instanceof(Uint8Array),
          }),
        )
        .optional(),
    }),
  }),
]);
export type FromFeedWorker =
  | { readonly type: 'header'; readonly id: number; readonly header: PageHeader }
  | { readonly type: 'unauthorized'; readonly id: number; readonly timings: FeedTimings }
  | { readonly type: 'failed'; readonly id: number; readonly error: HttpError; readonly timings: FeedTimings }
  | { readonly type: 'page'; readonly id: number; readonly page: WirePage; readonly timings: FeedTimings };

const UPSERT = 1;
/** The stand-in for an upsert's bytes on a sealed page (never stored: the write takes the sealed chunks). */
const SEALED_RAW = new Uint8Array(0);
const TOMBSTONE = 2;

function toColumns(changes: readonly SummaryChange[]): WireChanges {
  const n = changes.length;
  const kinds = new Uint8Array(n);
  const seqs = new Float64Array(n);
  const versions = new Float64Array(n);
  const columns = {} as Record<SummaryField, string[]>;
  for (const c of SUMMARY_COLUMNS) columns[c.field] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const ch = changes[i]!;
    seqs[i] = ch.seq;
    if (ch.kind === 'tombstone') {
      // A tombstone carries only its USCC ('' in the other columns).
      kinds[i] = TOMBSTONE;
      for (const c of SUMMARY_COLUMNS) columns[c.field][i] = c.field === 'uscc' ? ch.uscc : '';
      continue;
    }
    const e = ch.enterprise;
    kinds[i] = UPSERT;
    versions[i] = e.version;
    for (const c of SUMMARY_COLUMNS) columns[c.field][i] = c.read(e);
  }
  return { kinds, seqs, versions, columns };
}

/** Packs a page for transfer: summaries as columns, record bytes in one exactly-sized buffer. */
export function toWire(page: PreparedPage): { wire: WirePage; transfer: ArrayBuffer[] } {
  const offsets = new Uint32Array(page.raws.length + 1);
  let size = 0;
  // A sealed page's records travel inside its sealed chunks: their clear bytes are not copied again.
  const raws = page.sealed ? [] : page.raws;
  raws.forEach((r, i) => {
    offsets[i] = size;
    size += r?.byteLength ?? 0;
  });
  offsets.fill(size, raws.length);
  const bytes = new Uint8Array(size);
  raws.forEach((r, i) => {
    if (r) bytes.set(r, offsets[i]!);
  });
  const changes = toColumns(page.changes);
  const sealed = page.sealed?.map((c) => ({ ...c, changeIdx: Uint32Array.from(c.changeIdx) }));
  const wire: WirePage = {
    ...(sealed ? { sealed } : {}),
    nextCursor: page.nextCursor,
    hasMore: page.hasMore,
    total: page.total,
    lineCount: page.lineCount,
    changes,
    bad: page.bad,
    buffer: bytes.buffer,
    offsets,
  };
  return {
    wire,
    transfer: [
      bytes.buffer,
      offsets.buffer,
      changes.kinds.buffer,
      changes.seqs.buffer,
      changes.versions.buffer,
      ...(sealed ?? []).flatMap((c) => [c.changeIdx.buffer, c.chunk.buffer, c.search.buffer, c.dir.buffer]),
    ].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer),
  };
}

/**
 * The page back from its wire form; null when its parts do not fit together. The records were
 * validated against the shared schema in the feed worker; this checks the shape of what crossed.
 */
export function fromWire(w: WirePage): PreparedPage | null {
  const c = w.changes;
  const n = c.kinds.length;
  const columns = [c.seqs, c.versions, ...SUMMARY_FIELDS.map((f) => c.columns[f])];
  if (columns.some((col) => col.length !== n)) return null;
  const usccs = c.columns.uscc;
  if (
    w.offsets.length !== n + 1 ||
    w.offsets[n] !== w.buffer.byteLength ||
    w.bad.length > w.lineCount ||
    n > w.lineCount
  )
    return null;
  const changes = new Array<SummaryChange>(n);
  const raws = new Array<Uint8Array | null>(n);
  for (let i = 0; i < n; i++) {
    const start = w.offsets[i]!;
    const end = w.offsets[i + 1]!;
    const seq = c.seqs[i]!;
    if (end < start || !Number.isSafeInteger(seq) || usccs[i] === '') return null;
    if (c.kinds[i] === TOMBSTONE) {
      if (end !== start) return null;
      changes[i] = { kind: 'tombstone', seq, uscc: usccs[i]! };
      raws[i] = null;
    } else {
      if (c.kinds[i] !== UPSERT || (end === start && !w.sealed) || !Number.isSafeInteger(c.versions[i])) return null;
      changes[i] = {
        kind: 'upsert',
        seq,
        enterprise: summaryOf(c.versions[i]!, (col) => col.fromText(c.columns[col.field][i]!)),
      };
      // A sealed page carries no clear bytes: its upserts are stored from the sealed chunks.
      raws[i] = w.sealed ? SEALED_RAW : new Uint8Array(w.buffer, start, end - start);
    }
  }
  let sealed: SealedPageChunk[] | undefined;
  if (w.sealed) {
    sealed = [];
    for (const sc of w.sealed) {
      // Every index must name an upsert of this page: the write trusts them to find the records.
      if (sc.changeIdx.some((i) => i >= n || c.kinds[i] !== UPSERT) || sc.changeIdx.length === 0) return null;
      sealed.push({ ...sc, changeIdx: Array.from(sc.changeIdx) });
    }
  }
  return {
    nextCursor: w.nextCursor,
    hasMore: w.hasMore,
    total: w.total,
    lineCount: w.lineCount,
    changes,
    bad: w.bad,
    raws,
    ...(sealed ? { sealed } : {}),
  };
}
