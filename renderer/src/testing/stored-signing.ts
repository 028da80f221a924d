/**
 * The device key as a push engine under test sees it: the signatures finalize stored with each
 * result, and a registration that always answers. For tests about something other than signing.
 */
import { checkpointsRepo, type FieldDb } from '../db/index.js';
import type { PushSigning } from '../sync/push-signing.js';

export function storedSigning(field: FieldDb): PushSigning {
  return {
    signature: async (resultId) => (await checkpointsRepo(field).get(resultId))?.signature ?? null,
    registered: () => Promise.resolve({ ok: true, keyId: 'dk-test' }),
    refused: () => Promise.resolve(new Map()),
  };
}
