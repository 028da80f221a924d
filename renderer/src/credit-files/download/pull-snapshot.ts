/**
 * The initial credit-file download from the platform's snapshot, when it offers one: fetch the
 * manifest, download the file with Range (resuming at the stored byte count) and, while it
 * downloads, import each gzip member whose bytes match its own SHA-256 through the feed's
 * validate → seal → write path, leaving the cursor at the sequence the snapshot covers so the
 * paged feed continues with the delta. A member failing its hash is fetched again; a file replaced
 * meanwhile, or one whose whole hash fails, is discarded (fetched again when nothing of it was
 * imported, else the paged feed continues from the last imported member); after repeated
 * failures, or when the platform has no snapshot, the paged feed does the whole download.
 */
import { SNAPSHOT_PATH, SnapshotManifestSchema, type SnapshotManifest } from '../../../../shared/protocol/index.js';
import type { EnterprisesRepo, SnapshotRepo } from '../../db/index.js';
import type { HttpClient, HttpError } from '../../platform/http.js';
import type { SealContext } from '../import/enterprise-seal.js';
import type { PullProgressPort } from '../pull-progress.js';
import { downloadSnapshot, sha256Hex, type SnapshotFetchOptions, type StoredCheck } from './snapshot-download.js';
import { dropEarly, requestCurrentSnapshot, type EarlyRequest } from './snapshot-request.js';
import { NO_TIMINGS, type TimingSink } from '../timing-sink.js';
import { MemberImport, type SnapshotImportDeps } from '../import/snapshot-import.js';
import { chunksPerPage } from '../import/enterprise-seal.js';
import { DeferredProgress } from './deferred-progress.js';

/** Downloads of a file that fail (replaced, corrupt, no progress) before the paged feed takes over. */
const MAX_ATTEMPTS = 3;

export interface SnapshotDeps {
  /** For the manifest (JSON, refresh-once, typed errors). */
  readonly http: HttpClient;
  /** For the file's bytes (Range requests). */
  readonly fetch: SnapshotFetchOptions;
  readonly store: SnapshotRepo;
  /** Seal each imported page's chunks before its write (null: the write seals them). */
  readonly seal: SealContext | null;
  /** Validates and seals pages elsewhere (the feed workers); default: on the pull's thread. */
  readonly prepare?: SnapshotImportDeps['prepare'];
  /** Where the time of each phase goes (the bench's figures); dropped by default. */
  readonly timings?: TimingSink;
  /** One write may take the members already prepared after its own (MemberImport's joinPrepared). */
  readonly joinPrepared?: boolean;
  /** Records in flight before the download waits on the import (MemberImport's inFlightRecords). */
  readonly inFlightRecords?: number;
}

export type SnapshotOutcome = 'imported' | 'unavailable' | { readonly error: HttpError };

interface PullContext {
  readonly repo: EnterprisesRepo;
  readonly pageSize: number;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
  /**
   * Told, as an import of `manifest` starts, the cursor the delta feed will continue from and the
   * first chunk id after every chunk the import can take: the delta page can be asked for now
   * instead of after the last byte.
   */
  readonly onImport?: (cursor: string, chunkEnd: number) => void;
}

/** The stored cursor and snapshot a pull starts from (read once, together, before the first request). */
export interface SnapshotStart {
  readonly state: Awaited<ReturnType<EnterprisesRepo['state']>>;
  readonly stored: Awaited<ReturnType<SnapshotRepo['current']>>;
}

export async function readSnapshotStart(repo: EnterprisesRepo, store: SnapshotRepo): Promise<SnapshotStart> {
  const [state, stored] = await Promise.all([repo.state(), store.current()]);
  return { state, stored };
}

/** Whether this pull should go through the snapshot: an initial download, or an import to resume. */
export async function wantsSnapshot(repo: EnterprisesRepo, { state, stored }: SnapshotStart): Promise<boolean> {
  if (state.cursor === '0') return true;
  return (stored?.importing ?? false) && !(await repo.complete());
}

const aborted: HttpError = { kind: 'aborted', message: '同步已取消' };

async function fetchManifest(s: SnapshotDeps, signal?: AbortSignal): Promise<SnapshotManifest | null | HttpError> {
  const res = await s.http.request({
    method: 'GET',
    path: SNAPSHOT_PATH,
    schema: SnapshotManifestSchema,
    ...(signal ? { signal } : {}),
  });
  if (res.ok) return res.notModified ? null : res.value;
  // A platform without snapshots (or one not ready) leaves the download to the paged feed.
  if (res.error.kind === 'http' && [404, 405, 501, 503].includes(res.error.status)) return null;
  return res.error;
}

/**
 * Starts the snapshot pull now, before the pull reaches the credit files: the manifest and the file
 * come down (and members are imported) while reference data and tasks are still fetched, so those
 * round trips do not leave the link idle. Its progress waits for `attach`, which hands over the
 * pull's tracker and returns the outcome.
 */
export function startSnapshot(
  d: PullContext,
  s: SnapshotDeps,
  start?: SnapshotStart,
): { attach(tracker: PullProgressPort): Promise<SnapshotOutcome> } {
  const progress = new DeferredProgress();
  const outcome = pullSnapshot(d, s, progress, start);
  outcome.catch(() => undefined); // awaited by attach; never unhandled when an earlier phase fails
  return {
    attach(tracker) {
      progress.attach(tracker);
      return outcome;
    },
  };
}

type RunOutcome =
  | 'imported'
  | { readonly error: HttpError }
  /** The download was discarded; `committed`: verified members of it are already in. */
  | { readonly discarded: true; readonly committed: boolean };

export async function pullSnapshot(
  d: PullContext,
  s: SnapshotDeps,
  tracker: PullProgressPort,
  start?: SnapshotStart,
): Promise<SnapshotOutcome> {
  // Read just now by the caller when it decided on the snapshot: no second round of reads before the request.
  const { state, stored } = start ?? (await readSnapshotStart(d.repo, s.store));
  try {
    // An import a kill interrupted: finish it after the member whose cursor is stored, downloading
    // whatever of the same file is still missing.
    if (stored?.importing && state.cursor !== '0') {
      const got = await run(d, s, tracker, stored.manifest, state.cursor);
      if (got === 'imported' || 'error' in got) return got;
      // The records up to the cursor are in; the paged feed from that cursor brings the rest.
      await s.store.discard();
      return 'unavailable';
    }
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // Nothing stored yet: the file's first bytes are asked for with the manifest, not after it.
      const early = attempt === 1 && stored === null ? requestCurrentSnapshot(s.fetch, d.signal) : undefined;
      const manifest = await fetchManifest(s, d.signal);
      if (manifest === null || 'kind' in manifest) {
        dropEarly(early);
        if (manifest === null) return 'unavailable';
        return { error: manifest };
      }
      const got = await run(d, s, tracker, manifest, '0', early).finally(() => dropEarly(early));
      if (got === 'imported' || 'error' in got) return got;
      // Verified members are in under their cursor: the paged feed continues from there.
      if (got.committed) return 'unavailable';
      // Discarded before anything was imported: the next attempt asks for the manifest again.
    }
    tracker.endBytes();
    return 'unavailable';
  } catch (e) {
    if (d.signal?.aborted) return { error: aborted };
    throw e;
  }
}

/**
 * Downloads `manifest` (resuming at the stored bytes) and imports each member as soon as its bytes
 * are in and match the member's hash, from the member after `cursor`. The last member is written
 * only after the whole file matched its hash: only then does the snapshot count as complete.
 */
async function run(
  d: PullContext,
  s: SnapshotDeps,
  tracker: PullProgressPort,
  manifest: SnapshotManifest,
  cursor: string,
  early?: EarlyRequest,
): Promise<RunOutcome> {
  const members = manifest.members;
  const from = cursor === '0' ? 0 : members.findIndex((m) => m.cursor === cursor) + 1;
  // A stored cursor that is no member's end: this file cannot continue the import.
  if (cursor !== '0' && from === 0) return { discarded: true, committed: true };
  if (from >= members.length) {
    await s.store.discard();
    return 'imported';
  }
  const have = cursor === '0' ? 0 : await d.repo.count();
  tracker.start('enterprises', manifest.records, have, '正在下载企业档案快照');
  const chunkBase = await d.repo.nextChunkId();
  // Each member takes the chunk ids of one page of its size (see MemberImport.push).
  d.onImport?.(
    manifest.cursor,
    members.slice(from).reduce((end, m) => end + chunksPerPage(Math.max(d.pageSize, m.records)), chunkBase),
  );
  const importer = new MemberImport(
    {
      repo: d.repo,
      seal: s.seal,
      ...(s.prepare ? { prepare: s.prepare } : {}),
      ...(s.timings ? { timings: s.timings } : {}),
      ...(s.joinPrepared ? { joinPrepared: true } : {}),
      ...(s.inFlightRecords === undefined ? {} : { inFlightRecords: s.inFlightRecords }),
      pageSize: d.pageSize,
      now: d.now,
      onPage: (good, bad) => tracker.advance(good, manifest.records, bad),
    },
    manifest,
    from,
    cursor,
    chunkBase,
  );
  let marked = cursor !== '0';
  const held: { last: Uint8Array | null } = { last: null };
  const last = members.length - 1;
  // Every member is verified against its own hash BEFORE it is handed to the import.
  const check: StoredCheck = async (received, read, release) => {
    for (let i = importer.expected; i <= last && held.last === null; i = importer.expected) {
      const m = members[i]!;
      // Every member before this one is verified and imported: the download need not hold its bytes.
      release(m.offset);
      if (m.offset + m.bytes > received) return null;
      const bytes = read(m.offset, m.offset + m.bytes);
      if ((await sha256Hex(bytes)) !== m.sha256) return m.offset;
      if (i === last) {
        held.last = bytes;
        release(m.offset + m.bytes);
        return null;
      }
      if (!marked) {
        marked = true;
        await s.store.markImporting(manifest.sha256);
      }
      await importer.push(i, bytes);
    }
    return null;
  };
  try {
    const got = await downloadSnapshot(
      { ...s.fetch, ...(s.timings ? { timings: s.timings } : {}), handedOn: members[from]!.offset },
      s.store,
      manifest,
      (done, total) => tracker.bytes(done, total),
      d.signal,
      check,
      early,
    );
    tracker.endBytes();
    if (!got.ok) {
      await importer.finish();
      if ('error' in got) return { error: got.error };
      return { discarded: true, committed: marked };
    }
    if (held.last === null) throw new Error('快照下载完成，但最后一段没有经过校验');
    // What the import still takes once every byte is in: the part the download did not hide.
    const tail0 = performance.now();
    if (!marked) await s.store.markImporting(manifest.sha256);
    await importer.push(last, held.last);
    await importer.finish();
    (s.timings ?? NO_TIMINGS).add('snapshotImportMs', performance.now() - tail0);
  } catch (e) {
    await importer.settle();
    throw e;
  }
  await s.store.discard();
  return 'imported';
}
