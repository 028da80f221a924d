/**
 * USB transfers in the inspector's partition: the results bundles exported (with the reply key their
 * receipts come back encrypted to) and the receipts bundles imported. Recording an export writes its
 * audit entry in the same transaction; applying a receipts bundle stores every receipt, its audit
 * entries, the log checkpoints it was verified against and the bundle id in ONE transaction, so a
 * receipts file is applied whole or not at all, and only once.
 */
import type { DocType, Receipt } from '../../../../shared/protocol/index.js';
import type { FieldDb } from '../databases.js';
import type { LogCheckpointRow } from '../migrations/field-v7.js';
import type { UsbBundleRow } from '../migrations/field-v12.js';
import type { OutboxStateRow } from '../rows.js';
import { AuditHeadMovedError, auditRepo, type AuditInput } from './audit.repo.js';
import { receiptEntries } from './outbox.repo.js';

export type { UsbBundleRow } from '../migrations/field-v12.js';
export type UsbExportRow = Extract<UsbBundleRow, { kind: 'export' }>;
export type UsbReceiptsRow = Extract<UsbBundleRow, { kind: 'receipts' }>;

export class ReceiptsAlreadyImportedError extends Error {
  constructor(readonly bundleId: string) {
    super(`receipts bundle ${bundleId} was already imported`);
    this.name = 'ReceiptsAlreadyImportedError';
  }
}

export interface UsbBundlesRepo {
  exportByKeyId(keyId: string): Promise<UsbExportRow | null>;
  exports(): Promise<readonly UsbExportRow[]>;
  receiptsImported(bundleId: string): Promise<boolean>;
  /** Stores the export with its audit entry (`results.exported`) in one transaction. */
  recordExport(row: UsbExportRow, audit: AuditInput): Promise<void>;
  /**
   * Acknowledges every op with its receipt exactly as a network receipt does (same states, same
   * audit entries), stores the verified checkpoints and marks the receipts bundle imported; all or
   * nothing. Throws ReceiptsAlreadyImportedError when the bundle id is already there.
   */
  applyReceipts(
    bundle: UsbReceiptsRow,
    items: readonly { readonly opId: string; readonly receipt: Receipt }[],
    checkpoints: readonly LogCheckpointRow[],
    /** Document numbers the platform took with the bundle's report: marked reported, as the network report does. */
    reportedDocs: UsbExportRow['docEntries'],
  ): Promise<void>;
}

export function usbBundlesRepo(db: FieldDb): UsbBundlesRepo {
  const audit = auditRepo(db);
  return {
    async exportByKeyId(keyId) {
      const row = await db.usbBundles.get(keyId);
      return row?.kind === 'export' ? row : null;
    },
    async exports() {
      return (await db.usbBundles.where('kind').equals('export').toArray()).filter(
        (r): r is UsbExportRow => r.kind === 'export',
      );
    },
    async receiptsImported(bundleId) {
      return (await db.usbBundles.get(bundleId))?.kind === 'receipts';
    },
    async recordExport(row, input) {
      await audit.recording([input], ([entry]) =>
        db.transaction('rw', db.usbBundles, db.audit, async () => {
          if (!entry) throw new Error('no audit entry prepared');
          await db.usbBundles.put(row);
          await audit.writeInTx(entry);
        }),
      );
    },
    async applyReceipts(bundle, items, checkpoints, reportedDocs) {
      const at = new Date().toISOString();
      let seen: OutboxStateRow[] = [];
      const entries = async (): Promise<AuditInput[]> => {
        const out: AuditInput[] = [];
        seen = [];
        // Each op's entries follow from its state after the receipts before it in this bundle.
        for (const { opId, receipt } of items) {
          const op = await db.outbox.get(opId);
          if (!op) throw new Error(`outbox op ${opId} not found`);
          seen.push(op.state);
          out.push(...receiptEntries(op, receipt, at));
        }
        return out;
      };
      await audit.recording(entries, (prepared) =>
        db.transaction(
          'rw',
          [db.outbox, db.results, db.receipts, db.setAside, db.audit, db.usbBundles, db.logCheckpoints, db.docNumbers],
          async () => {
            if (await db.usbBundles.get(bundle.id)) throw new ReceiptsAlreadyImportedError(bundle.id);
            for (const [i, { opId, receipt }] of items.entries()) {
              const op = await db.outbox.get(opId);
              if (!op) throw new Error(`outbox op ${opId} not found`);
              if (op.state !== seen[i]) throw new AuditHeadMovedError();
              const state: OutboxStateRow = receipt.publication.state === 'published' ? 'published' : 'accepted';
              await db.outbox.put({ ...op, state, receipt, lastError: null, advice: null, nextAttemptAt: null });
              await db.results.update(op.resultId, { receipt });
              await db.receipts.put({ resultId: op.resultId, receipt, storedAt: at });
              await db.setAside.delete(opId);
            }
            for (const e of prepared) await audit.writeInTx(e);
            for (const c of checkpoints) if (!(await db.logCheckpoints.get(c.size))) await db.logCheckpoints.put(c);
            for (const s of reportedDocs) {
              const row = await db.docNumbers.get([s.docType as DocType, s.serial]);
              // Only a number still in the state that was reported: a later void is reported again.
              if (row && row.state === s.state && (row.docHash ?? null) === s.docHash && !row.reportedAt)
                await db.docNumbers.put({ ...row, reportedAt: at });
            }
            await db.usbBundles.put(bundle);
          },
        ),
      );
    },
  };
}
