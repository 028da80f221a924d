/**
 * Offline document numbers (field v4): reserve requests stored before they are sent,
 * blocks handed out one serial at a time inside ONE strict transaction (a serial can never be
 * handed out twice: the number row is `add`ed, which fails on a duplicate key), voided numbers
 * kept with their reason, and the bookkeeping of what the platform has been told. Issuing and
 * voiding a document append their audit entries in the same transaction as the number's change.
 */
import { perDocType, type DocType } from '../../../../shared/protocol/docnumbers.js';
import type { FieldDb } from '../databases.js';
import type { DocBlockRow, DocNumberRow, IssuedDocRow } from '../migrations/field-v4.js';
import { toHex } from '../../../../shared/domain/canonical.js';
import { auditRepo, type AuditInput } from './audit.repo.js';

export type { DocBlockRow, DocNumberRow, IssuedDocRow } from '../migrations/field-v4.js';

/** The audit entry for something done to an issued document: what the process record shows for it. */
export function issuedDocEntry(
  kind: 'document.issued' | 'document.printed',
  row: Pick<IssuedDocRow, 'docId' | 'taskId' | 'resultId' | 'docType' | 'docNo' | 'docHash'>,
  at: string,
): AuditInput {
  return {
    at,
    kind,
    subjectId: row.docId,
    detail: {
      taskId: row.taskId,
      resultId: row.resultId,
      docType: row.docType,
      docNo: row.docNo,
      docHash: row.docHash,
    },
  };
}

export class NoDocNumberError extends Error {
  constructor(readonly docType: DocType) {
    super('本机没有可用的文书编号，请联网同步后再生成文书');
    this.name = 'NoDocNumberError';
  }
}

export interface TakeRequest {
  readonly docType: DocType;
  readonly taskId: string;
  readonly resultId: string;
  readonly at: string;
}

/** What the report tells the platform; `state` is echoed back to mark only what was sent. */
export type ReportEntry = Pick<
  DocNumberRow,
  'docType' | 'serial' | 'state' | 'resultId' | 'voidReason' | 'docHash' | 'fileHash'
>;

export interface DocNumbersRepo {
  addRequest(row: Pick<DocBlockRow, 'requestId' | 'docType' | 'count' | 'requestedAt'>): Promise<void>;
  pendingRequests(): Promise<DocBlockRow[]>;
  applyReservation(requestId: string, block: { prefix: string; from: number; to: number }): Promise<void>;
  /**
   * Blocks the platform already reserved for this device (a station bundle), stored active in one
   * transaction; a block whose requestId is already here is left as it is. Returns blocks added.
   */
  importReserved(
    blocks: readonly { requestId: string; docType: DocType; prefix: string; from: number; to: number }[],
    at: string,
  ): Promise<number>;
  /** Numbers still available per type (active blocks only). */
  remaining(): Promise<Record<DocType, number>>;
  take(req: TakeRequest): Promise<DocNumberRow>;
  void(docType: DocType, serial: number, reason: string, at: string): Promise<DocNumberRow>;
  setDocHash(docType: DocType, serial: number, docHash: string): Promise<void>;
  unreported(): Promise<ReportEntry[]>;
  /** Marks as reported only the rows whose state is still the one that was sent. */
  markReported(sent: readonly ReportEntry[], at: string): Promise<number>;
  numbersFor(taskId: string): Promise<DocNumberRow[]>;
  saveIssued(row: IssuedDocRow): Promise<void>;
  issuedFor(taskId: string): Promise<IssuedDocRow[]>;
  issued(docId: string): Promise<IssuedDocRow | null>;
}

export function formatBlockNo(prefix: string, serial: number): string {
  return `${prefix}${String(serial).padStart(4, '0')}号`;
}

function left(b: DocBlockRow): number {
  return b.state === 'active' && b.next !== null && b.to !== null ? Math.max(0, b.to - b.next + 1) : 0;
}

export function docNumbersRepo(db: FieldDb): DocNumbersRepo {
  const audit = auditRepo(db);
  return {
    async addRequest(row) {
      await db.docBlocks.add({ ...row, state: 'requested', prefix: null, from: null, to: null, next: null });
    },
    async pendingRequests() {
      return db.docBlocks.where('state').equals('requested').toArray();
    },
    async applyReservation(requestId, block) {
      await db.transaction('rw', db.docBlocks, async () => {
        const row = await db.docBlocks.get(requestId);
        if (!row) throw new Error(`未知的编号申请：${requestId}`);
        if (row.state !== 'requested') return; // a replayed answer changes nothing
        if (block.to < block.from) throw new Error(`编号段无效：${block.from}–${block.to}`);
        await db.docBlocks.put({
          ...row,
          state: 'active',
          prefix: block.prefix,
          from: block.from,
          to: block.to,
          next: block.from,
        });
      });
    },
    async importReserved(blocks, at) {
      for (const b of blocks) if (b.to < b.from) throw new Error(`编号段无效：${b.from}–${b.to}`);
      return db.transaction('rw', db.docBlocks, async () => {
        let added = 0;
        for (const b of blocks) {
          if (await db.docBlocks.get(b.requestId)) continue;
          await db.docBlocks.add({
            requestId: b.requestId,
            docType: b.docType,
            count: b.to - b.from + 1,
            requestedAt: at,
            state: 'active',
            prefix: b.prefix,
            from: b.from,
            to: b.to,
            next: b.from,
          });
          added += 1;
        }
        return added;
      });
    },
    async remaining() {
      const out = perDocType(() => 0);
      for (const b of await db.docBlocks.where('state').equals('active').toArray()) out[b.docType] += left(b);
      return out;
    },
    async take(req) {
      return db.transaction('rw', db.docBlocks, db.docNumbers, async () => {
        const blocks = (await db.docBlocks.where('docType').equals(req.docType).toArray())
          .filter((b) => left(b) > 0)
          .sort((a, b) => (a.from ?? 0) - (b.from ?? 0));
        const block = blocks[0];
        if (!block || block.next === null || block.to === null || block.prefix === null)
          throw new NoDocNumberError(req.docType);
        const serial = block.next;
        const row: DocNumberRow = {
          docType: req.docType,
          serial,
          docNo: formatBlockNo(block.prefix, serial),
          blockId: block.requestId,
          state: 'used',
          taskId: req.taskId,
          resultId: req.resultId,
          takenAt: req.at,
          voidReason: null,
          voidedAt: null,
          docHash: null,
          reportedAt: '',
        };
        await db.docNumbers.add(row);
        await db.docBlocks.put({ ...block, next: serial + 1, state: serial + 1 > block.to ? 'used-up' : 'active' });
        return row;
      });
    },
    async void(docType, serial, reason, at) {
      const text = reason.trim();
      if (!text) throw new Error('作废文书编号必须填写原因');
      const before = await db.docNumbers.get([docType, serial]);
      if (!before) throw new Error(`没有这个文书编号：${serial}`);
      if (before.state === 'voided') return before;
      const entry = {
        at,
        kind: 'document.voided',
        subjectId: `${docType}:${serial}`,
        detail: {
          taskId: before.taskId,
          resultId: before.resultId,
          docType,
          docNo: before.docNo,
          docHash: before.docHash,
          reason: text,
        },
      };
      return audit.recording([entry], (entries) =>
        db.transaction('rw', db.docNumbers, db.audit, async () => {
          const row = await db.docNumbers.get([docType, serial]);
          if (!row) throw new Error(`没有这个文书编号：${serial}`);
          if (row.state === 'voided') return row; // voided meanwhile: that void recorded itself
          const next: DocNumberRow = { ...row, state: 'voided', voidReason: text, voidedAt: at, reportedAt: '' };
          await db.docNumbers.put(next);
          for (const e of entries) await audit.writeInTx(e);
          return next;
        }),
      );
    },
    async setDocHash(docType, serial, docHash) {
      await db.docNumbers.update([docType, serial], { docHash, reportedAt: '' });
    },
    async unreported() {
      const rows = await db.docNumbers.where('reportedAt').equals('').toArray();
      return rows.map((r) => ({
        docType: r.docType,
        serial: r.serial,
        state: r.state,
        resultId: r.resultId,
        voidReason: r.voidReason,
        docHash: r.docHash,
        fileHash: r.fileHash ?? null,
      }));
    },
    async markReported(sent, at) {
      return db.transaction('rw', db.docNumbers, async () => {
        let marked = 0;
        for (const s of sent) {
          const row = await db.docNumbers.get([s.docType, s.serial]);
          if (!row || row.state !== s.state || row.docHash !== s.docHash) continue;
          await db.docNumbers.put({ ...row, reportedAt: at });
          marked += 1;
        }
        return marked;
      });
    },
    async numbersFor(taskId) {
      return (await db.docNumbers.where('taskId').equals(taskId).toArray()).sort((a, b) =>
        a.takenAt.localeCompare(b.takenAt),
      );
    },
    async saveIssued(row) {
      const entry = issuedDocEntry('document.issued', row, row.issuedAt);
      // Hashed before the transaction: WebCrypto must never be awaited inside one.
      const fileHash = toHex(await crypto.subtle.digest('SHA-256', row.pdf as Uint8Array<ArrayBuffer>));
      await audit.recording([entry], (entries) =>
        db.transaction('rw', db.issuedDocs, db.docNumbers, db.audit, db.docDrafts, async () => {
          await db.issuedDocs.put(row);
          // The form's draft became this document: gone with the same commit, never left behind or lost before it.
          await db.docDrafts.delete([row.taskId, row.docType]);
          await db.docNumbers.update([row.docType, row.serial], { docHash: row.docHash, fileHash, reportedAt: '' });
          for (const e of entries) await audit.writeInTx(e);
        }),
      );
    },
    async issuedFor(taskId) {
      return (await db.issuedDocs.where('taskId').equals(taskId).toArray()).sort((a, b) =>
        a.issuedAt.localeCompare(b.issuedAt),
      );
    },
    async issued(docId) {
      return (await db.issuedDocs.get(docId)) ?? null;
    },
  };
}
