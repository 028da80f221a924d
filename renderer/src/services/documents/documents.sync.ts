/**
 * The sync service's document-number phase: runs after the pull phases, reserves blocks
 * and reports used/voided numbers. Its failures never fail the sync: the numbers on hand still
 * work offline and everything is retried on the next sync.
 */
import { syncDocNumbers, type DocNumberSyncOutcome } from '../../sync/doc-numbers.js';
import type { Runtime } from '../runtime.js';

export async function docNumbersAfterPull(rt: Runtime): Promise<DocNumberSyncOutcome | null> {
  try {
    const outcome = await syncDocNumbers({
      http: rt.http,
      repo: rt.repos.docNumbers,
      deviceId: () => rt.repos.meta.deviceId(),
      now: rt.now,
    });
    for (const e of outcome.errors) console.warn(e);
    return outcome;
  } catch (e) {
    console.warn('文书编号同步失败', e);
    return null;
  } finally {
    rt.emit('tasks');
  }
}
