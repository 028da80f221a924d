/**
 * Enterprise credit files in the cache database. Issue 2 stores one row per enterprise; the API is
 * kept narrow (get, count, applyPage, restart) so issue 3 can switch to packed rows for 200k-record
 * speed. A page, its quarantined records and its cursor commit in one transaction.
 */
import type { Enterprise, EnterpriseChange } from '../../../../shared/protocol/index.js';
import type { CacheDb } from '../databases.js';
import type { QuarantineRow, SyncStateRow } from '../rows.js';
import { initialSyncState } from './sync-state.repo.js';

export interface EnterprisePage {
  readonly changes: readonly EnterpriseChange[];
  readonly quarantined: readonly QuarantineRow[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
  readonly total: number;
  readonly at: string;
}

export interface EnterprisesRepo {
  get(uscc: string): Promise<Enterprise | null>;
  count(): Promise<number>;
  state(): Promise<SyncStateRow>;
  applyPage(page: EnterprisePage): Promise<number>;
  /**
   * 410 Gone: restart the stream from cursor 0 in a new generation. Existing rows stay readable
   * until the new full download completes; then rows of older generations are dropped.
   */
  restart(): Promise<void>;
}

export function enterprisesRepo(db: CacheDb): EnterprisesRepo {
  async function currentState(): Promise<SyncStateRow> {
    return (await db.syncState.get('enterprises')) ?? initialSyncState('enterprises');
  }

  async function applyOne(change: EnterpriseChange, generation: number): Promise<boolean> {
    if (change.kind === 'tombstone') {
      await db.enterprises.delete(change.uscc);
      return true;
    }
    const e = change.enterprise;
    const local = await db.enterprises.get(e.uscc);
    if (local && local.version > e.version) {
      if (local.generation !== generation) await db.enterprises.update(e.uscc, { generation });
      return false;
    }
    await db.enterprises.put({ uscc: e.uscc, name: e.name, version: e.version, seq: change.seq, generation, data: e });
    return true;
  }

  return {
    async get(uscc) {
      return (await db.enterprises.get(uscc))?.data ?? null;
    },
    count() {
      return db.enterprises.count();
    },
    state: currentState,
    async applyPage(page) {
      return db.transaction('rw', [db.enterprises, db.quarantine, db.syncState], async () => {
        const state = await currentState();
        let applied = 0;
        for (const change of page.changes) if (await applyOne(change, state.generation)) applied += 1;
        if (page.quarantined.length > 0) await db.quarantine.bulkPut([...page.quarantined]);
        const finished = !page.hasMore && state.restarting;
        if (finished) await db.enterprises.where('generation').below(state.generation).delete();
        await db.syncState.put({
          ...state, cursor: page.nextCursor, total: page.total, lastSyncedAt: page.at, restarting: state.restarting && !finished,
        });
        return applied;
      });
    },
    async restart() {
      await db.transaction('rw', db.syncState, async () => {
        const state = await currentState();
        await db.syncState.put({ ...state, cursor: '0', generation: state.generation + 1, restarting: true });
      });
    },
  };
}
