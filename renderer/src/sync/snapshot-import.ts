/**
 * Importing a verified credit-file snapshot through the same path as the paged feed: the file is
 * gunzipped as a stream (DecompressionStream, native), cut into lines at their newline bytes, and
 * every line goes through the page preparer (byte validator, else zod and the quarantine), the
 * sealer and `applyPage`, in pages of the feed's page size, each written with its cursor in one
 * transaction. So the end state is the one the paged download would leave.
 *
 * The cursor of a page is the sequence of its last record (the feed's cursors are sequences), and
 * the last page's cursor is the one the snapshot names, from which the delta feed continues. Pages
 * are cut at fixed line counts, so after a kill the import resumes by skipping the pages whose
 * records are all at or below the stored cursor.
 */
import type { SnapshotManifest } from '../../../shared/protocol/index.js';
import type { EnterprisesRepo } from '../db/index.js';
import { PagePreparer, type PreparedPage } from './enterprise-prepare.js';
import { chunksPerPage, sealPageChunks, type SealContext } from './enterprise-seal.js';

export interface SnapshotImportDeps {
  readonly repo: EnterprisesRepo;
  readonly seal: SealContext | null;
  readonly pageSize: number;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
  /** After each page is written: its stored records and its quarantined lines. */
  readonly onPage: (good: number, bad: number) => void;
}

/** Splits decompressed bytes into lines; a line split between chunks is joined first. */
class LineCutter {
  private pending: Uint8Array[] = [];
  constructor(private readonly line: (bytes: Uint8Array) => void) {}
  push(chunk: Uint8Array): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const tail = chunk.subarray(start, nl);
      if (this.pending.length > 0) {
        this.pending.push(tail);
        this.line(join(this.pending));
        this.pending = [];
      } else this.line(tail);
      start = nl + 1;
    }
    if (start < chunk.byteLength) this.pending.push(chunk.subarray(start));
  }
  end(): void {
    if (this.pending.length > 0) this.line(join(this.pending));
    this.pending = [];
  }
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function lastSeq(page: PreparedPage): number | null {
  let max: number | null = null;
  for (const c of page.changes) if (max === null || c.seq > max) max = c.seq;
  return max;
}

export async function importSnapshot(
  d: SnapshotImportDeps,
  bytes: Uint8Array,
  manifest: SnapshotManifest,
  resuming: boolean,
): Promise<void> {
  const state = await d.repo.state();
  const skipTo = resuming && state.cursor !== '0' ? Number(state.cursor) : 0;
  let chunkBase = await d.repo.nextChunkId();
  let cursor = state.cursor;
  const at = d.now().toISOString();
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let prep = new PagePreparer(at);
  let lines = 0;
  const ready: PreparedPage[] = [];
  const cutter = new LineCutter((line) => {
    if (line.byteLength === 0 || (line.byteLength === 1 && line[0] === 13)) return;
    if (lines === d.pageSize) {
      ready.push(prep.finish({ nextCursor: '0', hasMore: true, total: manifest.records }));
      prep = new PagePreparer(at);
      lines = 0;
    }
    lines += 1;
    if (prep.addBytes(line)) return;
    const text = decoder.decode(line);
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      value = undefined;
    }
    prep.add(value, line, text);
  });

  // Up to two page writes queued while the next page is prepared, as in the paged pull.
  const writes: Promise<void>[] = [];
  const write = async (page: PreparedPage, last: boolean) => {
    const seq = lastSeq(page);
    if (!last && seq !== null && seq <= skipTo) return; // written before the kill
    const nextCursor = last ? manifest.cursor : seq === null ? cursor : String(Math.max(seq, Number(cursor)));
    const sealed = d.seal ? await sealPageChunks(page, d.seal, chunkBase, d.pageSize) : undefined;
    chunkBase += chunksPerPage(d.pageSize);
    const fromCursor = cursor;
    cursor = nextCursor;
    const done = d.repo.applyPage({
      changes: page.changes,
      raws: page.raws,
      ...(sealed ? { sealed } : {}),
      quarantined: page.bad,
      fromCursor,
      nextCursor,
      hasMore: !last,
      total: manifest.records,
      at,
    });
    const writing = done.then(() => d.onPage(page.changes.length, page.bad.length));
    writing.catch(() => undefined); // awaited below; never unhandled while the next page is prepared
    writes.push(writing);
    while (writes.length > 2) await writes.shift();
  };

  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  try {
    for (;;) {
      if (d.signal?.aborted) throw new DOMException('同步已取消', 'AbortError');
      const { done, value } = await reader.read();
      if (done) break;
      cutter.push(value);
      while (ready.length > 0) await write(ready.shift()!, false);
    }
    cutter.end();
    while (ready.length > 0) await write(ready.shift()!, false);
    await write(prep.finish({ nextCursor: manifest.cursor, hasMore: false, total: manifest.records }), true);
    while (writes.length > 0) await writes.shift();
  } catch (e) {
    await Promise.allSettled(writes);
    await reader.cancel().catch(() => undefined);
    throw e;
  }
}
