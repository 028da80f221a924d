/**
 * The credit files of a verified station bundle, imported through the network snapshot's own import
 * (MemberImport: each gzip member prepared — gunzip, byte validator else zod and the quarantine,
 * seal — by the feed workers, then written with its cursor in one transaction). The bundle holds the
 * very file the network snapshot serves, so the cache ends exactly where a snapshot download would
 * leave it, and the next network sync continues from the snapshot's cursor with the delta.
 */
import type { SnapshotManifest } from '../../../../shared/protocol/index.js';
import type { EnterprisesRepo } from '../../db/index.js';
import type { SealContext } from '../../credit-files/import/enterprise-seal.js';
import { feedPool, type FeedWorkerLike } from '../../credit-files/import/feed-pool.js';
import { MemberImport, prepareMember, type MemberPreparer } from '../../credit-files/import/snapshot-import.js';

export interface CreditImportDeps {
  readonly repo: EnterprisesRepo;
  readonly seal: SealContext | null;
  readonly pageSize: number;
  readonly now: () => Date;
  /** Where members are prepared; default: feed workers when the runtime has workers, else this thread. */
  readonly prepare?: MemberPreparer;
  readonly signal?: AbortSignal;
  readonly onProgress?: (written: number, total: number) => void;
}

export type CreditImportOutcome =
  | { readonly imported: number; readonly skipped: string | null }
  | { readonly cancelled: true; readonly imported: number };

const FEED_WORKERS = 2;

function spawnFeedWorker(): FeedWorkerLike {
  return new Worker(new URL('../../credit-files/import/feed.worker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as FeedWorkerLike;
}

/** Members prepared by two feed workers, as in the pull; on this thread where there are none. */
function preparer(d: CreditImportDeps): { prepare: MemberPreparer; close(): void } {
  const local: MemberPreparer = (bytes, header, at, chunkBase, limit, gzip) =>
    prepareMember(bytes, header, at, d.seal, chunkBase, limit, gzip);
  if (d.prepare) return { prepare: d.prepare, close: () => undefined };
  if (typeof Worker === 'undefined') return { prepare: local, close: () => undefined };
  const pool = feedPool({
    // Only prepareLines is used: nothing is fetched, so no platform and no tokens.
    baseUrl: () => '',
    tokens: { accessToken: () => null, refresh: async () => 'rejected' as const },
    size: FEED_WORKERS,
    spawn: spawnFeedWorker,
    prestart: true,
    seal: d.seal,
    localLines: local,
  });
  return { prepare: pool.prepareLines, close: () => pool.close() };
}

/**
 * Imports the snapshot's members after the stored cursor: from the first member into an empty cache,
 * after the member whose cursor is stored when an earlier import (of this file or the same network
 * snapshot) stopped part-way. A cache at any other cursor already holds a newer state and is left alone.
 */
export async function importCreditFiles(
  d: CreditImportDeps,
  manifest: SnapshotManifest,
  bytes: Uint8Array,
): Promise<CreditImportOutcome> {
  const state = await d.repo.state();
  const members = manifest.members;
  let from = 0;
  if (state.cursor !== '0') {
    const at = members.findIndex((m) => m.cursor === state.cursor);
    if (at < 0 || (await d.repo.complete())) return { imported: 0, skipped: '企业档案（本机已是更新的版本）' };
    from = at + 1;
  }
  let written = from === 0 ? 0 : await d.repo.count();
  d.onProgress?.(written, manifest.records);
  const { prepare, close } = preparer(d);
  const importer = new MemberImport(
    {
      repo: d.repo,
      seal: d.seal,
      prepare,
      pageSize: d.pageSize,
      // Two members at a time, as the download once did: the file is all here, so a deeper pipeline
      // only delays a cancel (it takes effect once the members already pushed are written).
      inFlightRecords: 0,
      now: d.now,
      onPage: (good) => {
        written += good;
        d.onProgress?.(written, manifest.records);
      },
    },
    manifest,
    from,
    state.cursor,
    await d.repo.nextChunkId(),
  );
  const before = from === 0 ? 0 : written;
  try {
    for (let i = from; i < members.length; i++) {
      if (d.signal?.aborted) {
        await importer.finish();
        return { cancelled: true, imported: written - before };
      }
      const m = members[i]!;
      // A copy, not a view: a view would carry the whole file to the worker with every member.
      await importer.push(i, bytes.slice(m.offset, m.offset + m.bytes));
    }
    await importer.finish();
  } catch (e) {
    await importer.settle();
    throw e;
  } finally {
    close();
  }
  return { imported: written - before, skipped: null };
}
