/**
 * The initial credit-file download from the platform's snapshot, when it offers one: fetch the
 * manifest, download the file with Range (resuming at the stored byte count), verify its SHA-256,
 * import it through the feed's own validate → seal → write path, and leave the cursor at the
 * sequence the snapshot covers so the paged feed continues with the delta. A file replaced meanwhile
 * or failing its hash is discarded and fetched again; after repeated failures, or when the platform
 * has no snapshot, the paged feed does the whole download as before.
 */
import { SNAPSHOT_PATH, SnapshotManifestSchema, type SnapshotManifest } from '../../../shared/protocol/index.js';
import type { EnterprisesRepo, SnapshotRepo } from '../db/index.js';
import type { HttpClient, HttpError } from '../platform/http.js';
import type { SealContext } from './enterprise-seal.js';
import type { ProgressTracker } from './progress.js';
import { downloadSnapshot, sha256Hex, type SnapshotFetchOptions } from './snapshot-download.js';
import { importSnapshot, type SnapshotImportDeps } from './snapshot-import.js';

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
}

export type SnapshotOutcome = 'imported' | 'unavailable' | { readonly error: HttpError };

interface PullContext {
  readonly repo: EnterprisesRepo;
  readonly pageSize: number;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
}

/** Whether this pull should go through the snapshot: an initial download, or an import to resume. */
export async function wantsSnapshot(repo: EnterprisesRepo, store: SnapshotRepo): Promise<boolean> {
  const [state, stored] = await Promise.all([repo.state(), store.current()]);
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

export async function pullSnapshot(
  d: PullContext,
  s: SnapshotDeps,
  tracker: ProgressTracker,
): Promise<SnapshotOutcome> {
  const stored = await s.store.current();
  const state = await d.repo.state();
  try {
    // An import a kill interrupted: its verified bytes are still stored; finish it from the cursor.
    if (stored?.importing && state.cursor !== '0') {
      const bytes = await s.store.openParts().catch(() => null);
      if (
        !bytes ||
        bytes.reduce((n, b) => n + b.byteLength, 0) !== stored.manifest.bytes ||
        (await sha256Hex(join(bytes))) !== stored.manifest.sha256
      ) {
        // The records up to the cursor are in; the paged feed from that cursor brings the rest.
        await s.store.discard();
        return 'unavailable';
      }
      await runImport(d, s, tracker, join(bytes), stored.manifest, true);
      return 'imported';
    }
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const manifest = await fetchManifest(s, d.signal);
      if (manifest === null) return 'unavailable';
      if ('kind' in manifest) return { error: manifest };
      tracker.start('enterprises', manifest.records, 0, '正在下载企业档案快照');
      const got = await downloadSnapshot(
        s.fetch,
        s.store,
        manifest,
        (done, total) => tracker.bytes(done, total),
        d.signal,
      );
      if (got.ok) {
        tracker.endBytes();
        await s.store.markImporting(manifest.sha256);
        await runImport(d, s, tracker, got.bytes, manifest, false);
        return 'imported';
      }
      if ('error' in got) return { error: got.error };
      // Discarded (replaced or corrupt): the next attempt asks for the manifest again.
    }
    tracker.endBytes();
    return 'unavailable';
  } catch (e) {
    if (d.signal?.aborted) return { error: aborted };
    throw e;
  }
}

async function runImport(
  d: PullContext,
  s: SnapshotDeps,
  tracker: ProgressTracker,
  bytes: Uint8Array,
  manifest: SnapshotManifest,
  resuming: boolean,
): Promise<void> {
  const have = resuming ? await d.repo.count() : 0;
  tracker.start('enterprises', manifest.records, have, '正在导入企业档案快照');
  await importSnapshot(
    {
      repo: d.repo,
      seal: s.seal,
      ...(s.prepare ? { prepare: s.prepare } : {}),
      pageSize: d.pageSize,
      now: d.now,
      ...(d.signal ? { signal: d.signal } : {}),
      onPage: (good, bad) => tracker.advance(good, manifest.records, bad),
    },
    bytes,
    manifest,
    resuming,
  );
  await s.store.discard();
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
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
