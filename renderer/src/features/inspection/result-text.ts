/** What the screens say about a finalized result wherever it appears (task list, task detail, result view). */
import type { StoredResult } from '../../services/index.js';

/** The publication deadline: the platform's (once it received the result), else the one computed at finalize. */
export function publicationDeadlineOf(result: Pick<StoredResult, 'payload' | 'receipt'>): string {
  return result.receipt?.publication.deadline ?? result.payload.publicationDeadline;
}
