/**
 * What the app's credit-file cache holds, read with plain IndexedDB from the page (counts and the
 * clear directory sizes only; the records themselves are sealed).
 */
import type { Page } from '@playwright/test';

export interface StoredCredits {
  count: number;
  cursor: string;
  total: number;
  quarantined: number;
  /** Records physically stored (the directory rows' clear sizes; their USCC lists are sealed). */
  stored: number;
}

export function storedCredits(page: Page): Promise<StoredCredits> {
  return page.evaluate(async () => {
    const empty = { count: 0, cursor: '0', total: 0, quarantined: 0, stored: 0 };
    // Never create the database from here (the app's Dexie must make it): abort an upgrade.
    const db = await new Promise<IDBDatabase | null>((resolve, reject) => {
      const req = indexedDB.open('cache');
      req.onupgradeneeded = () => req.transaction?.abort();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () =>
        req.error?.name === 'AbortError' ? resolve(null) : reject(req.error ?? new Error('open failed'));
    });
    if (!db) return empty;
    if (!db.objectStoreNames.contains('entMeta')) {
      db.close();
      return empty;
    }
    const get = <T>(store: string, key: IDBValidKey | null): Promise<T> =>
      new Promise((resolve, reject) => {
        const tx = db.transaction(store, 'readonly');
        const req = key === null ? tx.objectStore(store).getAll() : tx.objectStore(store).get(key);
        req.onsuccess = () => resolve(req.result as T);
        req.onerror = () => reject(req.error ?? new Error('read failed'));
      });
    try {
      const meta = await get<{ count: number } | undefined>('entMeta', 'summary');
      const state = await get<{ cursor: string; total: number } | undefined>('syncState', 'enterprises');
      const quarantine = await get<{ stream: string }[]>('quarantine', null);
      const dir = await get<{ size: number }[]>('entDir', null);
      return {
        count: meta?.count ?? 0,
        cursor: state?.cursor ?? '0',
        total: state?.total ?? 0,
        quarantined: quarantine.filter((q) => q.stream === 'enterprises').length,
        stored: dir.reduce((n, d) => n + d.size, 0),
      };
    } finally {
      db.close();
    }
  });
}
