/** Repository handles for the reliability tests (re-exported so tests import one place). */
import { uploadsRepo } from '../../renderer/src/db/index.js';
import type { Rig } from './harness.js';

export { metaRepo, outboxRepo, resultsRepo } from '../../renderer/src/db/index.js';
export const uploadsRepoFor = (r: Rig) => uploadsRepo(r.dbs.field);
