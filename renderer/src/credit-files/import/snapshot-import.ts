/**
 * Importing a credit-file snapshot member by member, through the same path as the paged feed.
 * The file is a run of gzip members, one feed page each; as soon as a member's bytes are in and
 * match the member's own SHA-256 (checked by the caller, before `push`), it goes to `prepare` (the
 * feed workers: gunzip, byte validator else zod and the quarantine, seal) and is then written with
 * `applyPage`, in member order, each with the member's cursor in one transaction. So the import
 * runs while later members still download, and the end state is the one the paged download
 * would leave. After a kill the import resumes after the member whose cursor is stored.
 *
 * The pull's thread only writes; decompression and validation happen in the workers.
 */
import type { SnapshotManifest, SnapshotMember } from '../../../../shared/protocol/index.js';
import type { EnterprisesRepo } from '../../db/index.js';
import { PagePreparer, type PageHeader, type PreparedPage } from './enterprise-prepare.js';
import { chunksPerPage, sealPageChunks, type SealContext } from './enterprise-seal.js';
import { NO_TIMINGS, type TimingSink } from '../timing-sink.js';
import { gunzip, gzipIsize, type SealedPageChunk } from '../../db/index.js';

/** Prepares one member (gzip bytes) or one page of lines (plain) on some thread. */
export type MemberPreparer = (
  bytes: Uint8Array,
  header: PageHeader,
  at: string,
  chunkBase: number,
  limit: number,
  gzip?: boolean,
) => Promise<PreparedPage>;

export interface SnapshotImportDeps {
  readonly repo: EnterprisesRepo;
  readonly seal: SealContext | null;
  readonly pageSize: number;
  readonly now: () => Date;
  /** Gunzips, validates and seals one member elsewhere (feed workers); default: on this thread. */
  readonly prepare?: MemberPreparer;
  /** Where the time of each phase goes (the bench's figures); dropped by default. */
  readonly timings?: TimingSink;
  /**
   * Let one write transaction take the members after its own that are already prepared (see
   * MAX_JOINED_RECORDS). Off: one transaction per member, whatever is waiting.
   */
  readonly joinPrepared?: boolean;
  /**
   * Records in flight before `push` waits (default IN_FLIGHT_RECORDS); at least two members are let
   * through whatever their size. 0: two members, so a cancel between pushes stops after them.
   */
  readonly inFlightRecords?: number;
  /** After each member is written: its stored records and its quarantined lines. */
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
  timings: TimingSink = NO_TIMINGS,
  member?: Uint8Array,
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
  timings.add('validateMs', prep.validateMs);
  if (!seal) return page;
  const s0 = performance.now();
  const sealed = await sealPageChunks(page, seal, chunkBase, limit, member);
  timings.add('sealMs', performance.now() - s0);
  return { ...page, sealed };
}

/** One member as a feed worker handles it: gunzipped (when `gzip`), validated and sealed. */
export async function prepareMember(
  bytes: Uint8Array,
  header: PageHeader,
  at: string,
  seal: SealContext | null,
  chunkBase: number,
  limit: number,
  gzip = true,
  timings: TimingSink = NO_TIMINGS,
): Promise<PreparedPage> {
  const g0 = performance.now();
  const lines = gzip ? await gunzip(bytes) : bytes;
  timings.add('bodyMs', performance.now() - g0);
  // The member may be stored as it came (sealPageChunks) and is then read back by a decoder that
  // takes ONE gzip member. Its trailer giving the whole length shows the bytes are one member
  // (several concatenated would end with the last one's length); otherwise the lines are stored.
  const one = gzip && gzipIsize(bytes) === lines.byteLength % 2 ** 32;
  return prepareLines(lines, header, at, seal, chunkBase, limit, timings, one ? bytes : undefined);
}

/**
 * Records being prepared or written at once before `push` waits: two 5,000-line pages' worth (two
 * workers, one write queued). Counted in records, not members: a platform's members may be a fifth
 * of that, and two small members in flight leave the workers idle and the write nothing to join.
 */
export const IN_FLIGHT_RECORDS = 10_000;
/**
 * The least a member counts toward IN_FLIGHT_RECORDS, whatever the manifest says it holds: a manifest
 * claiming 0 records per member must not let every member be held in memory at once.
 */
const MEMBER_COUNTS_AT_LEAST = 1_000;
/**
 * Most records one write transaction takes when it joins members that are already prepared. A
 * transaction has a fixed cost (its first reads, its commit) paid on the write thread; when that
 * thread is the one behind, members queue up prepared, and one transaction for two of them halves
 * that cost. When it is not behind, nothing is waiting and each member is written alone.
 */
const MAX_JOINED_RECORDS = 10_000;

/** One pushed member, from its preparation to its write. */
interface Entry {
  readonly preparing: Promise<PreparedPage>;
  /** Set once the preparation is done (so a write running earlier can see it is ready to join). */
  page: PreparedPage | null;
  readonly fromCursor: string;
  readonly nextCursor: string;
  readonly last: boolean;
  /** Written, alone or joined to the write of an earlier member. */
  written: boolean;
}

/**
 * Members prepared one by one, written as one page: their changes in order (each sealed chunk's
 * indexes shifted to the joined list), the cursor of the first before and of the last after.
 */
function joinPages(pages: readonly PreparedPage[]): PreparedPage {
  if (pages.length === 1) return pages[0]!;
  const changes: PreparedPage['changes'][number][] = [];
  const raws: PreparedPage['raws'][number][] = [];
  const bad: PreparedPage['bad'][number][] = [];
  const sealed: SealedPageChunk[] = [];
  let lineCount = 0;
  for (const p of pages) {
    const offset = changes.length;
    for (const c of p.sealed ?? []) sealed.push({ ...c, changeIdx: c.changeIdx.map((i) => i + offset) });
    changes.push(...p.changes);
    raws.push(...p.raws);
    bad.push(...p.bad);
    lineCount += p.lineCount;
  }
  const lastPage = pages[pages.length - 1]!;
  return {
    nextCursor: lastPage.nextCursor,
    hasMore: lastPage.hasMore,
    total: lastPage.total,
    changes,
    raws,
    bad,
    lineCount,
    ...(pages[0]!.sealed ? { sealed } : {}),
  };
}

/**
 * Imports the members of one snapshot in order. `push` the next verified member; it returns once
 * there is room for another, so a fast download waits for the import instead of piling up pages.
 * Members are written in order, each with its cursor in the same transaction as its rows; with
 * `joinPrepared`, a write that finds the members after its own already prepared takes them into
 * its transaction (the cursor stored is then the last one's).
 */
export class MemberImport {
  private next: number;
  private cursor: string;
  private chunkBase: number;
  private tail: Promise<void> = Promise.resolve();
  private readonly inFlight: { readonly writing: Promise<void>; readonly records: number }[] = [];
  private inFlightRecords = 0;
  /** Pushed members not yet written, in order. */
  private readonly waiting: Entry[] = [];
  /**
   * Where the pipeline has waited so far: `blockedMs`, push held back by the in-flight budget (the
   * download waiting on the import); `idleMs`, every pushed member written and the next not pushed
   * yet (the import waiting on the download), from `idleSince`.
   */
  private blockedMs = 0;
  private idleMs = 0;
  private idleSince: number | null = null;
  private readonly timings: TimingSink;
  private readonly at: string;
  private readonly prepare: MemberPreparer;

  /** `from`: the first member to import; `cursor`: the stored cursor (the member before's). */
  constructor(
    private readonly d: SnapshotImportDeps,
    private readonly manifest: SnapshotManifest,
    from: number,
    cursor: string,
    chunkBase: number,
  ) {
    this.next = from;
    this.cursor = cursor;
    this.chunkBase = chunkBase;
    this.at = d.now().toISOString();
    this.timings = d.timings ?? NO_TIMINGS;
    this.prepare =
      d.prepare ??
      ((bytes, h, when, base, limit, gzip) => prepareMember(bytes, h, when, d.seal, base, limit, gzip, this.timings));
  }

  /** The index of the member `push` takes next. */
  get expected(): number {
    return this.next;
  }

  async push(index: number, bytes: Uint8Array): Promise<void> {
    if (index !== this.next) throw new Error(`快照分段应按顺序导入：应为第 ${this.next} 段，收到第 ${index} 段`);
    if (this.idleSince !== null) {
      const idle = performance.now() - this.idleSince;
      this.idleMs += idle;
      this.timings.add('importIdleMs', idle);
      this.idleSince = null;
    }
    const member: SnapshotMember = this.manifest.members[index]!;
    const last = index === this.manifest.members.length - 1;
    this.next += 1;
    const header: PageHeader = { nextCursor: member.cursor, hasMore: !last, total: this.manifest.records };
    const limit = Math.max(this.d.pageSize, member.records);
    // Chunk ids are reserved in member order (the ids are in the sealed values' AAD).
    const preparing = this.prepare(bytes, header, this.at, this.chunkBase, limit, true);
    this.chunkBase += chunksPerPage(limit);
    const entry: Entry = {
      preparing,
      page: null,
      fromCursor: this.cursor,
      nextCursor: member.cursor,
      last,
      written: false,
    };
    // Awaited in order by the writes; never unhandled meanwhile.
    preparing.then(
      (page) => void (entry.page = page),
      () => undefined,
    );
    this.cursor = member.cursor;
    this.waiting.push(entry);
    const writing = this.tail.then(() => this.write(entry));
    writing.catch(() => undefined); // awaited by push or finish; never unhandled meanwhile
    this.tail = writing;
    const counted = Math.max(member.records, MEMBER_COUNTS_AT_LEAST);
    this.inFlight.push({ writing, records: counted });
    this.inFlightRecords += counted;
    const budget = this.d.inFlightRecords ?? IN_FLIGHT_RECORDS;
    const b0 = performance.now();
    while (this.inFlight.length > 2 && this.inFlightRecords > budget) {
      const oldest = this.inFlight.shift()!;
      this.inFlightRecords -= oldest.records;
      await oldest.writing;
    }
    const blocked = performance.now() - b0;
    this.blockedMs += blocked;
    this.timings.add('importBlockedMs', blocked);
  }

  /**
   * Whether the import has so far waited on the download longer than the download on the import:
   * the link, not this machine, sets the pace. A reader may then do work ahead of the end (the
   * search index) with CPU the import leaves free; on a fast link the import is the one behind,
   * and such work would only slow it down.
   */
  get linkBound(): boolean {
    return this.idleMs > this.blockedMs;
  }

  /** Writes `entry` with the members after it that are already prepared (none if it was written with an earlier one). */
  private async write(entry: Entry): Promise<void> {
    if (entry.written) return;
    const first = await entry.preparing;
    const batch = [entry];
    const pages = [first];
    let records = first.changes.length;
    for (let i = this.waiting.indexOf(entry) + 1; this.d.joinPrepared === true && i < this.waiting.length; i++) {
      const e = this.waiting[i]!;
      if (e.page === null || records + e.page.changes.length > MAX_JOINED_RECORDS) break;
      if ((e.page.sealed === undefined) !== (first.sealed === undefined)) break;
      batch.push(e);
      pages.push(e.page);
      records += e.page.changes.length;
    }
    const page = joinPages(pages);
    const w0 = performance.now();
    await this.d.repo.applyPage({
      changes: page.changes,
      raws: page.raws,
      ...(page.sealed ? { sealed: page.sealed } : {}),
      quarantined: page.bad,
      fromCursor: entry.fromCursor,
      nextCursor: batch[batch.length - 1]!.nextCursor,
      hasMore: !batch[batch.length - 1]!.last,
      total: this.manifest.records,
      at: this.at,
      linkBound: this.linkBound,
    });
    this.timings.add('writeMs', performance.now() - w0);
    this.timings.add('writes', 1);
    for (let i = 0; i < batch.length; i++) {
      batch[i]!.written = true;
      this.waiting.splice(this.waiting.indexOf(batch[i]!), 1);
      this.timings.add('pages', 1);
      this.timings.add('records', pages[i]!.lineCount);
      this.d.onPage(pages[i]!.changes.length, pages[i]!.bad.length);
    }
    // Every pushed member is written: the import waits for the download's next one from now.
    if (this.waiting.length === 0) this.idleSince = performance.now();
  }

  /** Waits for every pushed member to be written (throws the first failure). */
  async finish(): Promise<void> {
    for (let oldest = this.inFlight.shift(); oldest; oldest = this.inFlight.shift()) {
      this.inFlightRecords -= oldest.records;
      await oldest.writing;
    }
  }

  /** Lets whatever is running settle (after a failure elsewhere). */
  async settle(): Promise<void> {
    this.inFlightRecords = 0;
    await Promise.allSettled(this.inFlight.splice(0).map((f) => f.writing));
  }
}
