/**
 * Where the time of an enterprise download goes (diagnostics for the bench, never for logic):
 * accumulated per phase inside the worker and, at the end of the phase, published on the
 * BroadcastChannel `sync-diagnostics` so a page of the same origin (the bench page) can read it.
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
  /** Snapshot path: gunzip + validate + seal + write of every page, until the last commit. */
  snapshotImportMs: number;
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
    snapshotImportMs: 0,
  };
}

/** The timings of the running (or last) enterprise download in this thread. */
export const timings: EnterpriseTimings = emptyTimings();

export function resetTimings(): void {
  Object.assign(timings, emptyTimings());
}

/** Publishes the timings (no-op where BroadcastChannel does not exist). */
export function publishTimings(): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(DIAGNOSTICS_CHANNEL);
  channel.postMessage({ type: 'enterprise-timings', timings: { ...timings } });
  channel.close();
}
