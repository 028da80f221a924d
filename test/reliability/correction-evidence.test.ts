/**
 * A correction re-sent from review copies the original's evidence under new ids. The platform
 * keeps every attachment id to the result it was uploaded for, and refuses evidence that is not
 * among the result's attachments, so the correction's payload must name the copies: then it is
 * accepted once, with every evidence file uploaded under the correction.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/canonical.js';
import type { ResultPayload } from '../../shared/protocol/index.js';
import { resultsRepo } from './db.js';
import { finalizeWith, opOf, resign, rig, settle, sha, taskPicker, type Rig } from './harness.js';

let r: Rig;
const task = taskPicker(() => r);

beforeAll(async () => {
  r = await rig();
}, 60_000);
afterAll(() => r.stop());

/** Lists the result's photos in its payload, as the app's finalize does (the harness leaves it out). */
async function withEvidence(resultId: string): Promise<void> {
  const files = await r.dbs.field.attachments.where('resultId').equals(resultId).toArray();
  const row = (await resultsRepo(r.dbs.field).get(resultId))!;
  const payload: ResultPayload = {
    ...row.payload,
    evidence: files.map((f) => ({
      id: f.id,
      kind: 'photo',
      sha256: f.sha256,
      size: f.size,
      mime: f.mime,
      caption: '现场照片',
      capturedAt: f.capturedAt,
    })),
  };
  await r.dbs.field.results.update(resultId, { payload, contentHash: sha(canonicalJson(payload)) });
  // Finalize would have signed the payload with its evidence: sign what the harness just completed.
  await resign(r, resultId);
}

describe('a correction with evidence', () => {
  it('names the copies of the evidence, uploads them under the correction and is accepted once', async () => {
    const { resultId, opId, attachmentIds } = await finalizeWith(r, task(), 2);
    await withEvidence(resultId);
    await settle(r);
    expect((await opOf(r, opId)).state).toMatch(/^(accepted|published)$/);
    await r.dbs.field.outbox.update(opId, { state: 'needs_review' });

    const corrected = await r.s.internals.outbox.resendAsCorrection(opId, '照片说明有误，更正');
    await settle(r);
    // One PUT, accepted: the evidence it names is exactly what was uploaded for it.
    expect(r.wire.log.filter((l) => l.path === `/v1/results/${corrected}`).map((l) => l.status)).toEqual([201]);
    const evidence = (await resultsRepo(r.dbs.field).get(corrected))?.payload.evidence ?? [];
    const copies = await r.dbs.field.attachments.where('resultId').equals(corrected).toArray();
    expect(evidence.map((e) => e.id).sort()).toEqual(copies.map((c) => c.id).sort());
    expect(evidence.some((e) => attachmentIds.includes(e.id))).toBe(false);
    expect(evidence).toHaveLength(2);
    expect(r.platform.admin.counts(corrected).results).toBe(1);
  });
});
