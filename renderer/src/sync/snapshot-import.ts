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
 *
 * This thread only gunzips and counts newlines; the pages are validated and sealed by `prepare`
 * (the feed workers, two pages at once, as for the paged feed) while earlier pages are written.
 */
import type { SnapshotManifest } from '../../../shared/protocol/index.js';
import type { EnterprisesRepo } from '../db/index.js';
import { PagePreparer, type PageHeader, type PreparedPage } from './enterprise-prepare.js';
import { chunksPerPage, sealPageChunks, type SealContext } from './enterprise-seal.js';
import { timings } from './enterprise-timings.js';

export interface SnapshotImportDeps {
  readonly repo: EnterprisesRepo;
  readonly seal: SealContext | null;
  readonly pageSize: number;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
  /** Validates and seals one page of lines elsewhere (feed workers); default: on this thread. */
  readonly prepare?: (
    lines: Uint8Array,
    header: PageHeader,
    at: string,
    chunkBase: number,
    limit: number,
  ) => Promise<PreparedPage>;
  /** After each page is written: its stored records and its quarantined lines. */
  readonly onPage: (good: number, bad: number) => void;
}

/** Calls `line` for each line of `bytes` (newline-separated; the last may lack its newline). */
function eachLine(bytes: Uint8Array, line: (b: Uint8Array) => void): void {
  let start = 0;
  for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10, start)) {
    line(bytes.subarray(start, nl));
    start = nl + 1;
  }
  if (start < bytes.byteLength) line(bytes.subarray(start));
}

/**
 * One page of snapshot lines validated (byte validator, else zod and the quarantine) and, with a
 * seal context, sealed into its chunks: what a feed worker does with a downloaded page.
 */
export async function prepareLines(
  lines: Uint8Array,
  header: PageHeader,
  at: string,
  seal: SealContext | null,
  chunkBase: number,
  limit: number,
): Promise<PreparedPage> {
  const prep = new PagePreparer(at);
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  eachLine(lines, (line) => {
    if (line.byteLength === 0 || (line.byteLength === 1 && line[0] === 13)) return;
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
  const page = prep.finish(header);
  if (!seal) return page;
  const s0 = performance.now();
  const sealed = await sealPageChunks(page, seal, chunkBase, limit);
  timings.sealMs += performance.now() - s0;
  return { ...page, sealed };
}

/** Cuts a byte stream into pages of `per` newline-terminated lines (the last page takes the rest). */
class PageCutter {
  private pieces: Uint8Array[] = [];
  private lines = 0;
  constructor(
    private readonly per: number,
    private readonly page: (bytes: Uint8Array) => void,
  ) {}
  push(chunk: Uint8Array): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, nl + 1)) {
      this.lines += 1;
      if (this.lines < this.per) continue;
      this.pieces.push(chunk.subarray(start, nl + 1));
      this.page(join(this.pieces));
      this.pieces = [];
      this.lines = 0;
      start = nl + 1;
    }
    if (start < chunk.byteLength) this.pieces.push(chunk.subarray(start));
  }
  /** What is left (possibly nothing): the last page. */
  rest(): Uint8Array {
    const out = join(this.pieces);
    this.pieces = [];
    return out;
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

/** Pages being prepared at once (the two feed workers) and page writes queued behind them. */
const PREPARING = 2;
const WRITING = 2;

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
  const header: PageHeader = { nextCursor: '0', hasMore: true, total: manifest.records };
  const prepare = d.prepare ?? ((lines, h, when, base, limit) => prepareLines(lines, h, when, d.seal, base, limit));

  const preparing: Promise<PreparedPage>[] = [];
  const start = (lines: Uint8Array) => {
    // Chunk ids are reserved in page order (the ids are in the sealed values' AAD).
    const p = prepare(lines, header, at, chunkBase, d.pageSize);
    p.catch(() => undefined); // awaited in order below; never unhandled meanwhile
    chunkBase += chunksPerPage(d.pageSize);
    preparing.push(p);
  };

  const writes: Promise<void>[] = [];
  let wroteOne = false;
  const write = async (page: PreparedPage, last: boolean) => {
    const seq = lastSeq(page);
    if (!last && seq !== null && seq <= skipTo) return; // written before the kill
    const nextCursor = last ? manifest.cursor : seq === null ? cursor : String(Math.max(seq, Number(cursor)));
    const fromCursor = cursor;
    cursor = nextCursor;
    const w0 = performance.now();
    const writing = d.repo
      .applyPage({
        changes: page.changes,
        raws: page.raws,
        ...(page.sealed ? { sealed: page.sealed } : {}),
        quarantined: page.bad,
        fromCursor,
        nextCursor,
        hasMore: !last,
        total: manifest.records,
        at,
      })
      .then(() => {
        timings.writeMs += performance.now() - w0;
        timings.pages += 1;
        timings.records += page.lineCount;
        d.onPage(page.changes.length, page.bad.length);
      });
    writing.catch(() => undefined); // awaited below; never unhandled while the next page is prepared
    writes.push(writing);
    // The first write opens the directory before its transaction starts; a second write issued
    // meanwhile could start its transaction first and be refused for its cursor. So the first page
    // is written alone; from then on transactions start in the order they are asked for.
    if (!wroteOne) {
      wroteOne = true;
      await writing;
    }
    while (writes.length > WRITING) await writes.shift();
  };
  const drain = async (keep: number) => {
    while (preparing.length > keep) await write(await preparing.shift()!, false);
  };

  const ready: Uint8Array[] = [];
  const cutter = new PageCutter(d.pageSize, (page) => ready.push(page));
  const i0 = performance.now();
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  try {
    for (;;) {
      if (d.signal?.aborted) throw new DOMException('同步已取消', 'AbortError');
      const { done, value } = await reader.read();
      if (done) break;
      cutter.push(value);
      for (const page of ready.splice(0)) {
        start(page);
        await drain(PREPARING);
      }
    }
    start(cutter.rest());
    await drain(1);
    await write(await preparing.shift()!, true);
    while (writes.length > 0) await writes.shift();
    timings.snapshotImportMs += performance.now() - i0;
  } catch (e) {
    await Promise.allSettled([...preparing, ...writes]);
    await reader.cancel().catch(() => undefined);
    throw e;
  }
}
