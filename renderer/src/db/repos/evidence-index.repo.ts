/**
 * The storage overview's view of evidence without opening the rows that hold the bytes: one small
 * sealed summary per attachment (field v14 `evidenceIndex`). The attachment repository writes it in
 * the transaction that adds, removes or reclaims the attachment. The attachment table's primary keys
 * (read without opening any row) say which summaries are current: a summary whose attachment is
 * gone is ignored, and an attachment without one (stored before v14, or copied by a correction) is
 * opened once and summarised.
 *
 *   evidenceIndexRepo(db).forTask(taskId) → summaries of the task's attachments, in capture order
 *   summaryOf(storedRow)                  → the summary of an attachment row as stored (call in its transaction)
 */
import type { FieldDb } from '../databases.js';
import type { AttachmentRow } from '../evidence-rows.js';
import type { EvidenceIndexRow } from '../migrations/field-v14.js';

export type { EvidenceIndexRow } from '../migrations/field-v14.js';

export interface EvidenceSummary extends Omit<EvidenceIndexRow, 'thumbnail'> {
  readonly thumbnail: Blob | null;
}

export function summaryOf(stored: AttachmentRow): EvidenceIndexRow {
  return {
    id: stored.id,
    taskId: stored.taskId,
    resultId: stored.resultId,
    kind: stored.kind,
    fileName: stored.fileName,
    mime: stored.mime,
    size: stored.size,
    sha256: stored.sha256,
    capturedAt: stored.capturedAt,
    reclaimedAt: stored.reclaimed?.at ?? null,
    thumbnail: stored.thumbnail,
  };
}

function thumbnailOf(v: unknown): Blob | null {
  if (v instanceof Blob) return v;
  if (typeof v === 'object' && v !== null && 'bytes' in v && v.bytes instanceof Uint8Array) {
    const type = 'type' in v && typeof v.type === 'string' ? v.type : '';
    return new Blob([v.bytes as Uint8Array<ArrayBuffer>], { type });
  }
  return null;
}

/** Bytes an original still holds locally: zero once reclaimed. */
export function summaryBytes(s: Pick<EvidenceIndexRow, 'size' | 'reclaimedAt'>): number {
  return s.reclaimedAt ? 0 : s.size;
}

export interface EvidenceIndexRepo {
  forTask(taskId: string): Promise<EvidenceSummary[]>;
}

export function evidenceIndexRepo(db: FieldDb): EvidenceIndexRepo {
  return {
    async forTask(taskId) {
      const [ids, summaries] = await Promise.all([
        db.attachments.where('taskId').equals(taskId).primaryKeys(),
        db.evidenceIndex.where('taskId').equals(taskId).toArray(),
      ]);
      const byId = new Map(summaries.map((s) => [s.id, s]));
      const out: EvidenceIndexRow[] = [];
      for (const id of ids) {
        const known = byId.get(id);
        if (known) {
          out.push(known);
          continue;
        }
        // Summarised once, reading the row and writing its summary together (a reclaim in between
        // would otherwise leave a stale summary behind).
        const made = await db.transaction('rw', db.attachments, db.evidenceIndex, async () => {
          const row = await db.attachments.get(id);
          if (!row) return null;
          const summary = summaryOf(row);
          await db.evidenceIndex.put(summary);
          return summary;
        });
        if (made) out.push(made);
      }
      out.sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
      return out.map((s) => ({ ...s, thumbnail: thumbnailOf(s.thumbnail) }));
    },
  };
}
