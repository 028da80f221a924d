/**
 * Writing a verified station bundle's small parts the way a pull would: reference data with its ETag
 * (the reference repository), the task changes and their cursor in one transaction (the tasks
 * repository's page write, after the pull's own check and quarantine), and this device's number
 * blocks (already reserved on the platform) in one transaction. A part this laptop already holds in a
 * newer state is left alone, so an old bundle never moves a cursor back.
 */
import type { QuarantineRow } from '../../db/index.js';
import { parseTaskChanges } from '../../sync/pull-engine.js';
import type { Runtime } from '../runtime.js';
import type { StationContents } from './station-bundle.open.js';

const seqOf = (cursor: string): bigint => (/^\d+$/.test(cursor) ? BigInt(cursor) : 0n);

export interface SmallParts {
  readonly tasks: number;
  readonly numberBlocks: number;
  readonly skipped: string[];
}

export async function applyReference(rt: Runtime, c: StationContents): Promise<string | null> {
  const stored = await rt.repos.reference.get();
  if (stored && Date.parse(stored.fetchedAt) > Date.parse(c.info.createdAt)) return '参考数据（本机已是更新的版本）';
  if (stored?.etag === c.info.reference.etag) return null;
  await rt.repos.reference.put(c.reference, c.info.reference.etag, c.info.createdAt);
  return null;
}

/** Only changes after the stored cursor are applied; the cursor moves forward only. */
export async function applyTasks(
  rt: Runtime,
  c: StationContents,
  quarantine: (rows: QuarantineRow[]) => Promise<void>,
): Promise<{ applied: number; skipped: string | null }> {
  const state = await rt.repos.taskSync.get('tasks');
  const from = seqOf(state.cursor);
  if (seqOf(c.tasksCursor) <= from && state.cursor !== '0')
    return { applied: 0, skipped: '任务（本机已是更新的版本）' };
  const at = rt.now().toISOString();
  const { changes, bad } = parseTaskChanges(c.tasks.changes, at);
  await quarantine(bad);
  const fresh = changes.filter((ch) => BigInt(ch.seq) > from);
  const applied = await rt.repos.tasks.applyPage(fresh, c.tasksCursor, c.tasks.total, at);
  return { applied, skipped: null };
}

export async function applyBlocks(rt: Runtime, c: StationContents): Promise<number> {
  if (c.blocks.length === 0) return 0;
  return rt.repos.docNumbers.importReserved(
    c.blocks.map((b) => ({ requestId: b.requestId, docType: b.docType, prefix: b.prefix, from: b.from, to: b.to })),
    rt.now().toISOString(),
  );
}
