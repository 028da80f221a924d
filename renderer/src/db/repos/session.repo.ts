/**
 * The signed-in session of the partition's inspector: who, which platform, and (browser build) the
 * token set. The partition seals the row whole, so the tokens need no sealing of their own.
 */
import type { FieldDb } from '../databases.js';
import type { SessionRow } from '../rows.js';

export interface SessionRepo {
  current(): Promise<SessionRow | null>;
  save(row: SessionRow): Promise<void>;
  updateTokens(tokens: string | null, offlineUnlocked: boolean): Promise<void>;
  clear(): Promise<void>;
}

export function sessionRepo(db: FieldDb): SessionRepo {
  return {
    async current() {
      return (await db.session.get('current')) ?? null;
    },
    async save(row) {
      await db.session.put(row);
    },
    async updateTokens(tokens, offlineUnlocked) {
      await db.transaction('rw', db.session, async () => {
        const row = await db.session.get('current');
        if (row) await db.session.put({ ...row, tokens, offlineUnlocked });
      });
    },
    async clear() {
      await db.session.delete('current');
    },
  };
}
