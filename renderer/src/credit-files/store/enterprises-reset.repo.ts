/**
 * The reset path of the credit-file repository: checking the station cache key (a cache sealed
 * under another key is emptied, never read as garbage) and the 410 restart of the stream.
 */
import { cacheKeyOf } from './enterprises.store.js';
import { openCacheAsync } from './enterprises.seal.js';
import type { RepoCore } from './enterprises-open.repo.js';
import type { CacheKeyCheck } from './enterprises.repo.js';

export interface EnterpriseResets {
  verifyKey(): Promise<CacheKeyCheck>;
  restart(): Promise<void>;
}

export function enterpriseResets(core: RepoCore): EnterpriseResets {
  const { db } = core;

  /** Empties the credit files (another key) and restarts the stream in a new generation. */
  async function emptyCache(): Promise<void> {
    await db.transaction(
      'rw',
      [db.entChunks, db.entSearch, db.entDir, db.entMeta, db.quarantine, db.syncState, db.searchBlobs, db.entLog],
      async () => {
        const state = await core.currentState();
        // The search index's blobs describe the cache being emptied: never usable again, so gone too.
        await Promise.all([
          db.entChunks.clear(),
          db.entSearch.clear(),
          db.entDir.clear(),
          db.entMeta.clear(),
          db.quarantine.clear(),
          db.searchBlobs.clear(),
          db.entLog.clear(),
        ]);
        await db.syncState.put({
          ...state,
          cursor: '0',
          etag: null,
          generation: state.generation + 1,
          restarting: false,
        });
      },
    );
    core.dir.invalidate();
    core.recent.clear();
    core.openedRows.clear();
  }

  return {
    async verifyKey() {
      const key = cacheKeyOf(db);
      const meta = await db.entMeta.get('summary');
      if (meta?.keyId === undefined) return { ok: true };
      let kind: 'key-rotated' | 'wrong-key' = 'key-rotated';
      if (meta.keyId === key.keyId) {
        try {
          if (meta.check) await openCacheAsync(key, db.name, 'entMeta', 'summary', meta.check);
          return { ok: true };
        } catch {
          kind = 'wrong-key';
        }
      }
      await emptyCache();
      return {
        ok: false,
        error: {
          kind,
          message:
            kind === 'key-rotated'
              ? '本站企业档案密钥已更换：本机缓存的企业档案已清除，下次同步时重新下载。'
              : '本机缓存的企业档案无法用本站密钥解密（密钥不对或数据已被改动）：已清除，下次同步时重新下载。',
        },
      };
    },
    async restart() {
      await db.transaction('rw', db.syncState, async () => {
        const state = await core.currentState();
        await db.syncState.put({ ...state, cursor: '0', generation: state.generation + 1, restarting: true });
      });
    },
  };
}
