/**
 * The credit-file snapshot download in progress (cache v4): which file, and its bytes received so
 * far, in parts sealed under the station cache key. A part is appended only at the stored byte
 * count of the same file, in one transaction with that count, so after a dropped link or a killed
 * app the next request asks exactly for the bytes that are missing; nothing is stored twice and
 * no gap is possible. A file the platform replaced, or one that failed its hash, is discarded whole.
 */
import type { SnapshotManifest } from '../../../../shared/protocol/index.js';
import type { CacheDb } from '../databases.js';
import { cacheKeyOf } from '../../credit-files/store/enterprises.store.js';
import { openCacheAsync, sealCacheAsync } from '../../credit-files/store/enterprises.seal.js';

export interface SnapshotMetaRow {
  readonly key: 'current';
  readonly manifest: SnapshotManifest;
  /** Bytes of the file stored in `snapParts` (the next Range starts here). */
  readonly received: number;
  readonly parts: number;
  /** Set once the verified file's import began: its records are being written under the sync cursor. */
  readonly importing: boolean;
  /** The station key generation the parts are sealed under. */
  readonly keyId: string;
}

export interface SnapshotPartRow {
  readonly id: number;
  readonly offset: number;
  readonly size: number;
  readonly sealed: Uint8Array;
}

export interface SnapshotRepo {
  /** The download in progress, if it is sealed under the current station key (else it is discarded). */
  current(): Promise<SnapshotMetaRow | null>;
  /** Starts a download of this file from byte 0, discarding whatever was stored. */
  begin(manifest: SnapshotManifest): Promise<SnapshotMetaRow>;
  /** Seals a part's bytes for `append` (WebCrypto: call it outside any transaction). */
  sealPart(sha256: string, index: number, bytes: Uint8Array): Promise<Uint8Array>;
  /**
   * Stores the part that starts at `offset`. Refused (throws) unless the stored download is this
   * file and `offset` is its received count: parts are never stored twice or out of order.
   */
  append(sha256: string, offset: number, size: number, sealed: Uint8Array): Promise<SnapshotMetaRow>;
  /**
   * Forgets the stored bytes from `offset` on (a member that failed its hash): every part that
   * reaches past it goes, so the received count may end up below `offset`. Returns it.
   */
  truncate(sha256: string, offset: number): Promise<number>;
  /** The stored bytes, part by part, in file order. */
  openParts(): Promise<Uint8Array[]>;
  /**
   * The stored bytes handed to `each` part by part, in file order, opened a few parts at a time: a
   * resumed download of a city's file need not have every stored part in memory at once.
   */
  eachPart(each: (bytes: Uint8Array) => void): Promise<void>;
  markImporting(sha256: string): Promise<void>;
  /** Forgets the download and its bytes. */
  discard(): Promise<void>;
}

/** Parts opened at once by `eachPart` (a few MiB): enough to keep WebCrypto busy, little memory. */
const EACH_PART_BATCH = 8;

export function snapshotRepo(db: CacheDb): SnapshotRepo {
  const partAadId = (sha256: string, index: number) => `${sha256}:${index}`;
  async function discard(): Promise<void> {
    await db.transaction('rw', [db.snapMeta, db.snapParts], () =>
      Promise.all([db.snapMeta.clear(), db.snapParts.clear()]),
    );
  }
  return {
    async current() {
      const row = await db.snapMeta.get('current');
      if (!row) return null;
      if (row.keyId !== cacheKeyOf(db).keyId) {
        await discard();
        return null;
      }
      return row;
    },
    async begin(manifest) {
      const row: SnapshotMetaRow = {
        key: 'current',
        manifest,
        received: 0,
        parts: 0,
        importing: false,
        keyId: cacheKeyOf(db).keyId,
      };
      await db.transaction('rw', [db.snapMeta, db.snapParts], async () => {
        await db.snapParts.clear();
        await db.snapMeta.put(row);
      });
      return row;
    },
    sealPart(sha256, index, bytes) {
      return sealCacheAsync(cacheKeyOf(db), db.name, 'snapParts', partAadId(sha256, index), bytes);
    },
    append(sha256, offset, size, sealed) {
      return db.transaction('rw', [db.snapMeta, db.snapParts], async () => {
        const row = await db.snapMeta.get('current');
        if (!row || row.manifest.sha256 !== sha256) throw new Error('企业档案快照已更换或已丢弃，不能续存这一段');
        if (row.received !== offset)
          throw new Error(`企业档案快照的续传位置不符：已存 ${row.received} 字节，这一段从 ${offset} 开始`);
        if (offset + size > row.manifest.bytes) throw new Error('企业档案快照的这一段超出了文件长度');
        const next: SnapshotMetaRow = { ...row, received: offset + size, parts: row.parts + 1 };
        await db.snapParts.put({ id: row.parts, offset, size, sealed });
        await db.snapMeta.put(next);
        return next;
      });
    },
    truncate(sha256, offset) {
      return db.transaction('rw', [db.snapMeta, db.snapParts], async () => {
        const row = await db.snapMeta.get('current');
        if (!row || row.manifest.sha256 !== sha256) throw new Error('企业档案快照已更换或已丢弃，不能截断');
        const parts = await db.snapParts.orderBy('id').toArray();
        const gone = parts.filter((p) => p.offset + p.size > offset);
        const received = gone.length > 0 ? Math.min(...gone.map((p) => p.offset)) : row.received;
        await db.snapParts.bulkDelete(gone.map((p) => p.id));
        await db.snapMeta.put({ ...row, received, parts: parts.length - gone.length });
        return received;
      });
    },
    async openParts() {
      const [row, parts] = await db.transaction('r', [db.snapMeta, db.snapParts], () =>
        Promise.all([db.snapMeta.get('current'), db.snapParts.orderBy('id').toArray()]),
      );
      if (!row) return [];
      let at = 0;
      for (const p of parts) {
        if (p.offset !== at) throw new Error(`企业档案快照的已存部分不连续（${at} 处）`);
        at += p.size;
      }
      if (at !== row.received) throw new Error('企业档案快照的已存字节数与记录不符');
      const key = cacheKeyOf(db);
      return Promise.all(
        parts.map((p) => openCacheAsync(key, db.name, 'snapParts', partAadId(row.manifest.sha256, p.id), p.sealed)),
      );
    },
    async eachPart(each) {
      const row = await db.snapMeta.get('current');
      if (!row) return;
      const key = cacheKeyOf(db);
      let at = 0;
      // Part ids run 0..parts-1 (a truncation removes the tail and the next part reuses the id).
      for (let first = 0; first < row.parts; first += EACH_PART_BATCH) {
        const parts = await db.snapParts
          .where('id')
          .between(first, Math.min(first + EACH_PART_BATCH, row.parts), true, false)
          .toArray();
        const opened = await Promise.all(
          parts.map((p) => {
            if (p.offset !== at) throw new Error(`企业档案快照的已存部分不连续（${at} 处）`);
            at += p.size;
            return openCacheAsync(key, db.name, 'snapParts', partAadId(row.manifest.sha256, p.id), p.sealed);
          }),
        );
        if (parts.length !== Math.min(EACH_PART_BATCH, row.parts - first))
          throw new Error(`企业档案快照的已存部分缺失（第 ${first} 段起）`);
        for (const bytes of opened) each(bytes);
      }
      if (at !== row.received) throw new Error('企业档案快照的已存字节数与记录不符');
    },
    async markImporting(sha256) {
      await db.transaction('rw', db.snapMeta, async () => {
        const row = await db.snapMeta.get('current');
        if (row?.manifest.sha256 === sha256) await db.snapMeta.put({ ...row, importing: true });
      });
    },
    discard,
  };
}
