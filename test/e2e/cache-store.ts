/**
 * What the app's credit-file cache holds, read with plain IndexedDB from the page: counters and
 * other values kept in clear only (the records themselves are sealed).
 */
import type { Page } from '@playwright/test';

/** One read: a row by key (`key`), every row (no key), or how many rows (`count`); `field` picks one value of each row. */
export interface CacheRead {
  readonly store: string;
  readonly key?: string;
  readonly count?: boolean;
  readonly field?: string;
}

/**
 * Runs the reads in the page, in one transaction, and returns their results in order; null when the
 * database or one of the stores does not exist yet. The database is never created from here: the
 * app's Dexie must make it, so an upgrade this open would start is aborted.
 */
export function readCache(page: Page, reads: readonly CacheRead[]): Promise<unknown[] | null> {
  return page.evaluate(async (reads) => {
    const db = await new Promise<IDBDatabase | null>((resolve, reject) => {
      const req = indexedDB.open('cache');
      req.onupgradeneeded = () => req.transaction?.abort();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () =>
        req.error?.name === 'AbortError' ? resolve(null) : reject(req.error ?? new Error('open failed'));
    });
    if (!db) return null;
    try {
      const stores = [...new Set(reads.map((r) => r.store))];
      if (!stores.every((s) => db.objectStoreNames.contains(s))) return null;
      const tx = db.transaction(stores, 'readonly');
      return await Promise.all(
        reads.map(
          (r) =>
            new Promise<unknown>((resolve, reject) => {
              const store = tx.objectStore(r.store);
              const req: IDBRequest = r.count ? store.count() : r.key === undefined ? store.getAll() : store.get(r.key);
              const pick = (row: unknown) =>
                r.field === undefined ? row : (row as Record<string, unknown> | undefined)?.[r.field];
              req.onsuccess = () =>
                resolve(
                  r.count ? req.result : r.key === undefined ? (req.result as unknown[]).map(pick) : pick(req.result),
                );
              req.onerror = () => reject(req.error ?? new Error('read failed'));
            }),
        ),
      );
    } finally {
      db.close();
    }
  }, reads);
}

export interface StoredCredits {
  count: number;
  cursor: string;
  total: number;
  quarantined: number;
  /** Records physically stored (the directory rows' clear sizes; their USCC lists are sealed). */
  stored: number;
}

export async function storedCredits(page: Page): Promise<StoredCredits> {
  const got = await readCache(page, [
    { store: 'entMeta', key: 'summary' },
    { store: 'syncState', key: 'enterprises' },
    { store: 'quarantine', field: 'stream' },
    { store: 'entDir', field: 'size' },
  ]);
  if (!got) return { count: 0, cursor: '0', total: 0, quarantined: 0, stored: 0 };
  const [meta, state, streams, sizes] = got as [
    { count: number } | undefined,
    { cursor: string; total: number } | undefined,
    string[],
    number[],
  ];
  return {
    count: meta?.count ?? 0,
    cursor: state?.cursor ?? '0',
    total: state?.total ?? 0,
    quarantined: streams.filter((s) => s === 'enterprises').length,
    stored: sizes.reduce((n, s) => n + s, 0),
  };
}
