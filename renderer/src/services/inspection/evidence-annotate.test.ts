import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachmentsRepo, hashBlob, tasksRepo } from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeTask, testServices } from '../../testing/builders.js';
import { signDraft, tinyPng } from '../../testing/inspection.testkit.js';

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(async () => {
  dbs = freshDatabases();
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
});
afterEach(() => disposeDatabases(dbs));

describe('marked-up photos', () => {
  it('stores the markup as new evidence naming its original; the original stays byte for byte', async () => {
    const s = testServices(dbs);
    const d = await s.inspection.openDraft('task-1');
    const photo = await s.inspection.addEvidence('task-1', tinyPng('shop'), 'photo', 'shop.png', {
      fix: { lat: 37.5, lon: 122.1, accuracyM: 20, fixedAt: '2026-05-06T01:59:00.000Z' },
    });
    const out = await s.inspection.annotateEvidence(photo.id, tinyPng('shop with an arrow'));
    if (!out.ok) throw new Error(out.error.message);
    expect(out.file.id).not.toBe(photo.id);
    expect(out.file.annotationOf).toEqual({ id: photo.id, sha256: photo.sha256 });
    expect(out.file.sha256).toBe(await hashBlob(tinyPng('shop with an arrow')));
    expect(out.file.place).toEqual(photo.place);
    expect(out.file.fileName).toBe('shop-标注.png');
    const chain = await s.inspection.processRecord('task-1');
    expect(chain.find((e) => e.subjectId === out.file.id)?.detail).toMatchObject({
      annotationOf: photo.id,
      originalSha256: photo.sha256,
      sha256: out.file.sha256,
      placeSource: 'geolocation',
    });
    const stored = await attachmentsRepo(dbs.field).get(photo.id);
    expect(await hashBlob(stored!.blob)).toBe(photo.sha256);
    expect(await hashBlob(stored!.blob)).toBe(await hashBlob(tinyPng('shop')));

    // The original cannot be removed while its markup names it; the markup can.
    const refused = await s.inspection.removeEvidence(photo.id, '拍错了');
    expect(refused).toEqual({ ok: false, error: { kind: 'has-markup', message: expect.stringContaining('标注件') } });
    expect(await attachmentsRepo(dbs.field).get(photo.id)).not.toBeNull();

    const signed = await signDraft(s.inspection, d);
    await s.inspection.saveDraft({
      ...signed,
      items: signed.items.map((i) => ({ ...i, outcome: 'pass' })),
      resultCodes: ['NO_PROBLEM'],
      checkMethods: ['ON_SITE'],
    });
    const r = await s.inspection.finalize('task-1');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const refs = r.result.payload.evidence ?? [];
    expect(refs.find((e) => e.id === photo.id)).toMatchObject({ sha256: photo.sha256 });
    expect(refs.find((e) => e.id === out.file.id)).toMatchObject({
      sha256: out.file.sha256,
      annotationOf: { id: photo.id, sha256: photo.sha256 },
    });
  });

  it('refuses a missing original and a PDF scan, storing nothing', async () => {
    const s = testServices(dbs);
    const d = await s.inspection.openDraft('task-1');
    const pdf = await s.inspection.addEvidence(
      'task-1',
      new Blob(['%PDF-1.4'], { type: 'application/pdf' }),
      'scan',
      'a.pdf',
    );
    expect(await s.inspection.annotateEvidence('att-nope', tinyPng())).toMatchObject({
      ok: false,
      error: { kind: 'no-original' },
    });
    expect(await s.inspection.annotateEvidence(pdf.id, tinyPng())).toMatchObject({
      ok: false,
      error: { kind: 'not-an-image' },
    });
    expect(await attachmentsRepo(dbs.field).forResult(d.resultId)).toHaveLength(1);
  });
});
