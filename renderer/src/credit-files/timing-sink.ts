/**
 * Where the time of a credit-file download goes (diagnostics for the bench, never for logic). The
 * pipeline reports each phase's time to a TimingSink it is given; the default drops everything, so
 * the app pays nothing for it. A run that wants the figures (the bench asks the pull worker for
 * them) passes a collecting sink and, at the end of the phase, publishes its totals on the
 * BroadcastChannel `sync-diagnostics` so a page of the same origin (the bench page) can read them.
 * Phases overlap (the next page downloads while the current one is validated and written), so the
 * parts do not add up to the total; `waitMs` is the time the worker sat idle waiting for the network.
 */

export const DIAGNOSTICS_CHANNEL = 'sync-diagnostics';

export interface EnterpriseTimings {
  /** Request sent → response headers (server query + first bytes), summed over pages; overlapped. */
  responseMs: number;
  /** Headers → body fully received and decoded to text (gzip, network, UTF-8); overlapped. */
  bodyMs: number;
  /** The worker waiting for a page it had not got yet (download not hidden by the pipeline). */
  waitMs: number;
  /** Splitting NDJSON and JSON.parse of every line. */
  parseMs: number;
  /** Schema validation of every record (+ quarantine). */
  validateMs: number;
  /** Sealing the page's chunks under the station cache key (in the feed workers, before the write). */
  sealMs: number;
  /** Packing the page into chunk/search/dir rows (inside the write). */
  packMs: number;
  /** applyPage: one transaction per page, from start to commit. */
  writeMs: number;
  /** Part of writeMs: the transaction's first reads (waiting for the previous page's commit). */
  startMs: number;
  /** Part of writeMs: from the page's puts being issued to their success (IndexedDB doing the work). */
  commitMs: number;
  pages: number;
  records: number;
  bytes: number;
  totalMs: number;
  /** Snapshot path: the Range download (until every byte is stored). */
  snapshotDownloadMs: number;
  /** Snapshot path: joining the parts and the SHA-256 check. */
  snapshotVerifyMs: number;
  /** Snapshot path: write transactions (fewer than its pages when prepared members were joined). */
  writes: number;
  /** Snapshot path: gunzip + validate + seal + write of every page, until the last commit. */
  snapshotImportMs: number;
  /** Snapshot path: the download held back by the import's in-flight budget. */
  importBlockedMs: number;
  /** Snapshot path: every downloaded member written, the import waiting for the next one. */
  importIdleMs: number;
  /** The pull's fixed costs before the credit files: reference data (ETag round trip). */
  referenceMs: number;
  /** The pull's fixed costs before the credit files: the task feed's pages. */
  tasksMs: number;
  /** From the start of the enterprise part to its first page request (key check, cursor reads). */
  headMs: number;
  /** Opening the stored directory before the first write (WebCrypto, once per pull). */
  dirOpenMs: number;
  /** Inside the write: dropping superseded and removed records from the directory rows of their old chunks. */
  removalsMs: number;
  /** Directory rows re-sealed by those removals (a count). */
  dirRowsRewritten: number;
}

export function emptyTimings(): EnterpriseTimings {
  return {
    responseMs: 0,
    bodyMs: 0,
    waitMs: 0,
    parseMs: 0,
    validateMs: 0,
    sealMs: 0,
    packMs: 0,
    writeMs: 0,
    startMs: 0,
    commitMs: 0,
    pages: 0,
    records: 0,
    bytes: 0,
    totalMs: 0,
    snapshotDownloadMs: 0,
    snapshotVerifyMs: 0,
    writes: 0,
    snapshotImportMs: 0,
    importBlockedMs: 0,
    importIdleMs: 0,
    referenceMs: 0,
    tasksMs: 0,
    headMs: 0,
    dirOpenMs: 0,
    removalsMs: 0,
    dirRowsRewritten: 0,
  };
}

export type TimingPhase = keyof EnterpriseTimings;

/** Receives the time (or count) spent in each phase of the pipeline. */
export interface TimingSink {
  add(phase: TimingPhase, amount: number): void;
}

/** The default: the figures go nowhere. */
export const NO_TIMINGS: TimingSink = { add: () => undefined };

/** A sink that sums what it is given; `totals` is read (and published) by whoever made it. */
export interface CollectingSink extends TimingSink {
  readonly totals: Readonly<EnterpriseTimings>;
  reset(): void;
}

export function collectingSink(): CollectingSink {
  const totals = emptyTimings();
  return {
    totals,
    add: (phase, amount) => {
      totals[phase] += amount;
    },
    reset: () => {
      Object.assign(totals, emptyTimings());
    },
  };
}

/** Publishes the totals (no-op where BroadcastChannel does not exist). */
export function publishTimings(totals: Readonly<EnterpriseTimings>): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(DIAGNOSTICS_CHANNEL);
  channel.postMessage({ type: 'enterprise-timings', timings: { ...totals } });
  channel.close();
}
