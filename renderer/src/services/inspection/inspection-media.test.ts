import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashBlob, tasksRepo } from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeTask, testServices } from '../../testing/builders.js';
import { signDraft } from '../../testing/inspection.testkit.js';
import { wavFile } from '../../testing/media.testkit.js';

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(async () => {
  dbs = freshDatabases();
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
});
afterEach(() => disposeDatabases(dbs));

describe('recordings in the inspection record', () => {
  it('imports a recording, checks clip marks against its duration and carries them in the hashed payload', async () => {
    const s = testServices(dbs);
    const d = await s.inspection.openDraft('task-1');
    const wav = wavFile(3);
    const modified = Date.parse('2026-05-06T01:59:00Z');
    const r = await s.inspection.importMedia('task-1', wav, '录音0001.wav', modified);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.file.sha256).toBe(await hashBlob(wav));
    expect(r.file.media).toEqual({
      durationS: 3,
      startedAt: '2026-05-06T01:58:57.000Z',
      endedAt: '2026-05-06T01:59:00.000Z',
      startSource: 'file-modified',
    });
    expect(await hashBlob(await s.inspection.openMedia(r.file.id))).toBe(r.file.sha256);

    const past = await s.inspection.markClip(r.file.id, { fromS: 2, toS: 4, note: '询问' });
    expect(past).toEqual({ ok: false, error: { kind: 'invalid', message: '片段结束时间超出录像时长（0:03）' } });
    expect(await s.inspection.markClip(r.file.id, { fromS: 0.5, toS: 2, note: '当事人陈述' })).toEqual({ ok: true });
    expect(await s.inspection.markClip(r.file.id, { fromS: 2, toS: 3, note: '删掉的' })).toEqual({ ok: true });
    const listed = (await s.inspection.evidenceFor(d.resultId)).find((f) => f.id === r.file.id);
    expect(listed?.clips?.map((c) => c.note)).toEqual(['当事人陈述', '删掉的']);
    await s.inspection.removeClip(listed?.clips?.[1]?.id ?? '');

    const signed = await signDraft(s.inspection, d);
    await s.inspection.saveDraft({
      ...signed,
      items: signed.items.map((i) => ({ ...i, outcome: 'pass' })),
      resultCodes: ['NO_PROBLEM'],
      checkMethods: ['ON_SITE'],
    });
    const done = await s.inspection.finalize('task-1');
    if (!done.ok) throw new Error(JSON.stringify(done.problems));
    const entry = done.result.payload.evidence?.find((e) => e.id === r.file.id);
    expect(entry).toMatchObject({
      kind: 'audio',
      sha256: r.file.sha256,
      size: wav.size,
      mime: 'audio/wav',
      media: { durationS: 3, startSource: 'file-modified', clips: [{ fromS: 0.5, toS: 2, note: '当事人陈述' }] },
    });
    // Frozen with the record: no more marks, and the chain holds each mark and removal.
    await expect(s.inspection.markClip(r.file.id, { fromS: 0, toS: 1, note: 'x' })).rejects.toThrow('已定稿');
    const kinds = (await s.inspection.processRecord('task-1')).map((e) => e.kind);
    expect(kinds.filter((k) => k.startsWith('media.'))).toEqual([
      'media.clip-marked',
      'media.clip-marked',
      'media.clip-removed',
    ]);
  });
});
