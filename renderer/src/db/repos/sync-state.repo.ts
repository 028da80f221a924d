/**
 * Stream cursors. A cursor lives in the database of the rows it covers (tasks → field,
 * enterprises and reference → cache) so a page and its cursor commit in one transaction.
 */
import type { Table } from 'dexie';
import type { SyncStateRow } from '../rows.js';

export type StreamName = SyncStateRow['stream'];

export function initialSyncState(stream: StreamName): SyncStateRow {
  return { stream, cursor: '0', etag: null, total: 0, generation: 1, restarting: false, lastSyncedAt: null };
}

export interface SyncStateRepo {
  get(stream: StreamName): Promise<SyncStateRow>;
}

export function syncStateRepo(table: Table<SyncStateRow, StreamName>): SyncStateRepo {
  return {
    async get(stream) {
      return (await table.get(stream)) ?? initialSyncState(stream);
    },
  };
}
