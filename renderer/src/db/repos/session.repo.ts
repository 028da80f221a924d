/**
 * The signed-in session, offline credentials (salted verifiers per 执法证号, never passwords) and
 * the non-extractable CryptoKeys that seal tokens at rest.
 */
import type { FieldDb } from '../databases.js';
import type { CredentialRow, SealedRow, SessionRow } from '../rows.js';

export interface SessionRepo {
  current(): Promise<SessionRow | null>;
  save(row: SessionRow): Promise<void>;
  updateTokens(tokens: SealedRow | null, offlineUnlocked: boolean): Promise<void>;
  clear(): Promise<void>;
  credential(certNo: string): Promise<CredentialRow | null>;
  saveCredential(row: CredentialRow): Promise<void>;
  /** Session and credential in one transaction (after an online login). */
  saveLogin(session: SessionRow, credential: CredentialRow): Promise<void>;
  key(name: string): Promise<CryptoKey | null>;
  /** Stores the key unless one exists; returns the stored one (first writer wins). */
  putKeyIfAbsent(name: string, key: CryptoKey): Promise<CryptoKey>;
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
      await db.session.update('current', { tokens, offlineUnlocked });
    },
    async clear() {
      await db.session.delete('current');
    },
    async credential(certNo) {
      return (await db.credentials.get(certNo)) ?? null;
    },
    async saveCredential(row) {
      await db.credentials.put(row);
    },
    async saveLogin(session, credential) {
      await db.transaction('rw', db.session, db.credentials, async () => {
        await db.session.put(session);
        await db.credentials.put(credential);
      });
    },
    async key(name) {
      return (await db.keys.get(name))?.key ?? null;
    },
    async putKeyIfAbsent(name, key) {
      return db.transaction('rw', db.keys, async () => {
        const existing = await db.keys.get(name);
        if (existing) return existing.key;
        await db.keys.put({ name, key });
        return key;
      });
    },
  };
}
