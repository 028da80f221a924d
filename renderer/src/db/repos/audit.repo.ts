/**
 * The hash-chained audit log. Each entry's hash covers its content and the previous hash, so an
 * edited or deleted row breaks the chain. Hashes are computed before the transaction (WebCrypto
 * must never be awaited inside one); the transaction re-checks that the head did not move.
 */
import { canonicalJson } from '../../../../shared/domain/canonical.js';
import { isVaultError } from '../../vault/vault.errors.js';
import type { FieldDb } from '../databases.js';
import { sha256Hex } from '../digest.js';
import type { AuditRow } from '../rows.js';

export const GENESIS_HASH = '0'.repeat(64);

export class AuditHeadMovedError extends Error {
  constructor() {
    super('audit log head moved while an entry was being prepared; retry');
    this.name = 'AuditHeadMovedError';
  }
}

export interface AuditInput {
  readonly at: string;
  readonly kind: string;
  readonly subjectId: string;
  readonly detail: AuditRow['detail'];
}

async function entryHash(seq: number, prevHash: string, input: AuditInput): Promise<string> {
  return sha256Hex(
    canonicalJson({ seq, prevHash, at: input.at, kind: input.kind, subjectId: input.subjectId, detail: input.detail }),
  );
}

export type AuditInputs = readonly AuditInput[] | (() => Promise<readonly AuditInput[]>);

export interface AuditRepo {
  /** Builds the next entry (outside any transaction). */
  prepare(input: AuditInput): Promise<AuditRow>;
  /** Writes a prepared entry; call inside a rw transaction including `audit`. */
  writeInTx(row: AuditRow): Promise<void>;
  /** Consecutive entries on the current head (outside any transaction). */
  prepareAll(inputs: readonly AuditInput[]): Promise<AuditRow[]>;
  /**
   * Records entries together with the change they describe: hashes them first (WebCrypto stays
   * outside the transaction), then runs `write`, which must call writeInTx for each row inside its
   * own rw transaction (with `audit`) alongside the change. If another writer moved the head in
   * between, the whole step is prepared and run again, so the change never commits without its entries.
   * Pass a function when the entries depend on state read before the transaction (it is re-read).
   */
  recording<T>(inputs: AuditInputs, write: (rows: readonly AuditRow[]) => Promise<T>): Promise<T>;
  /** prepare + write, retrying if another writer moved the head. */
  append(input: AuditInput): Promise<AuditRow>;
  /** The readable entries whose detail names this task, in chain order. */
  forTask(taskId: string): Promise<AuditRow[]>;
  head(): Promise<{ count: number; headHash: string }>;
  /** The entry at `seq`; null when absent or when it no longer opens (edited on disk). */
  at(seq: number): Promise<AuditRow | null>;
  list(): Promise<readonly AuditRow[]>;
  /** Number of entries (without opening any). */
  count(): Promise<number>;
  /** Recomputes the chain; returns the seq of the first broken entry, or null if intact. */
  verify(): Promise<number | null>;
}

export function auditRepo(db: FieldDb): AuditRepo {
  async function head() {
    const last = await db.audit.orderBy('seq').last();
    return { count: last?.seq ?? 0, headHash: last?.hash ?? GENESIS_HASH };
  }
  const repo: AuditRepo = {
    head,
    async prepare(input) {
      const h = await head();
      const seq = h.count + 1;
      return { seq, ...input, prevHash: h.headHash, hash: await entryHash(seq, h.headHash, input) };
    },
    async prepareAll(inputs) {
      let { count, headHash } = await head();
      const rows: AuditRow[] = [];
      for (const input of inputs) {
        const seq = count + 1;
        const row: AuditRow = { seq, ...input, prevHash: headHash, hash: await entryHash(seq, headHash, input) };
        rows.push(row);
        count = seq;
        headHash = row.hash;
      }
      return rows;
    },
    async recording(inputs, write) {
      for (let attempt = 0; ; attempt += 1) {
        const rows = await repo.prepareAll(typeof inputs === 'function' ? await inputs() : inputs);
        try {
          return await write(rows);
        } catch (e) {
          if (!(e instanceof AuditHeadMovedError) || attempt >= 5) throw e;
        }
      }
    },
    async forTask(taskId) {
      const out: AuditRow[] = [];
      for (const seq of await db.audit.orderBy('seq').primaryKeys()) {
        let row: AuditRow | undefined;
        try {
          row = await db.audit.get(seq);
        } catch (e) {
          // An entry that no longer opens belongs to no task we can name; the verdict reports it.
          if (isVaultError(e) && e.code !== 'locked') continue;
          throw e;
        }
        if (row?.detail['taskId'] === taskId) out.push(row);
      }
      return out;
    },
    async writeInTx(row) {
      const h = await head();
      if (h.count !== row.seq - 1 || h.headHash !== row.prevHash) throw new AuditHeadMovedError();
      await db.audit.add(row);
    },
    async append(input) {
      return repo.recording([input], async ([row]) => {
        if (!row) throw new Error('no audit entry prepared');
        await db.transaction('rw', db.audit, () => repo.writeInTx(row));
        return row;
      });
    },
    async at(seq) {
      try {
        return (await db.audit.get(seq)) ?? null;
      } catch (e) {
        if (isVaultError(e) && e.code !== 'locked') return null;
        throw e;
      }
    },
    list() {
      return db.audit.orderBy('seq').toArray();
    },
    count: () => db.audit.count(),
    async verify() {
      let prev = GENESIS_HASH;
      let expectedSeq = 1;
      // Row by row: in a sealed partition an edited row does not open at all, and that is the
      // finding (the first broken entry), not a failure of the check.
      for (const seq of await db.audit.orderBy('seq').primaryKeys()) {
        let row: AuditRow | undefined;
        try {
          row = await db.audit.get(seq);
        } catch (e) {
          if (isVaultError(e) && e.code !== 'locked') return seq;
          throw e;
        }
        if (!row) return seq;
        const ok =
          row.seq === expectedSeq && row.prevHash === prev && (await entryHash(row.seq, prev, row)) === row.hash;
        if (!ok) return row.seq;
        prev = row.hash;
        expectedSeq += 1;
      }
      return null;
    },
  };
  return repo;
}
