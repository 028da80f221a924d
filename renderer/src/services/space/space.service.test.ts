/**
 * Reclaiming evidence originals: allowed only once a receipt covers the exact id and hash and the
 * retention has passed; the bytes are hashed again before the delete; results, signatures and hashes
 * stay; the audit chain records each reclaim.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Receipt } from '../../../../shared/protocol/index.js';
import { attachmentsRepo, auditRepo, mediaChunksRepo, outboxRepo, referenceRepo, tasksRepo } from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeReference, makeTask, testServices } from '../../testing/builders.js';
import { signDraft, tinyPng } from '../../testing/inspection.testkit.js';
import { wavFile } from '../../testing/media.testkit.js';
import type { Draft, EvidenceFile } from '../api.js';
import { deviceKeysRepo } from '../../db/index.js';
import { verifyReceipt } from '../../../../shared/transparency/receipt-verify.js';
import { metaRepo, resultsRepo } from '../../db/index.js';
import { buildUpload } from '../../sync/push-engine.js';
import { testAdapter } from '../../testing/builders.js';
import { createTestLogKey } from '../../testing/signed-receipt.js';
import { provenReceipt, receiptCoversAttachment } from './receipt-proof.js';
import { createSpaceService, type SpaceOptions } from './space.service.js';

let dbs: ReturnType<typeof freshDatabases>;
let clock: Date;
beforeEach(async () => {
  dbs = freshDatabases();
  clock = new Date('2026-05-06T02:00:00Z');
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
  await referenceRepo(dbs.cache).put(makeReference(), '"e1"', 'x');
});
afterEach(() => disposeDatabases(dbs));

const DAY = 24 * 3600 * 1000;
const later = (days: number) => {
  clock = new Date(Date.parse('2026-05-06T03:00:00Z') + days * DAY);
};

function passed(d: Draft): Draft {
  return {
    ...d,
    items: d.items.map((i) => ({ ...i, outcome: 'pass' })),
    resultCodes: ['NO_PROBLEM'],
    checkMethods: ['ON_SITE'],
    followUps: [],
  };
}

/** Two photos, signed, finalized; `space` runs with a 30-day retention on the test clock. */
async function finalized(options: SpaceOptions = {}) {
  const s = testServices(dbs, { now: () => clock });
  const draft = await s.inspection.openDraft('task-1');
  const a = await s.inspection.addEvidence('task-1', tinyPng('photo-a'), 'photo', 'a.png');
  // Captured a second later, so the evidence is listed in a fixed order.
  clock = new Date(clock.getTime() + 1000);
  const b = await s.inspection.addEvidence('task-1', tinyPng('photo-b-longer'), 'photo', 'b.png');
  await s.inspection.saveDraft(await signDraft(s.inspection, passed(draft)));
  const done = await s.inspection.finalize('task-1');
  if (!done.ok) throw new Error(JSON.stringify(done.problems));
  // The rule's mechanics on hand-made receipts; the signature check is tested on its own below.
  const space = createSpaceService(s.internals.runtime, {
    retentionDays: 30,
    estimate: async () => ({}),
    receiptVerified: receiptCoversAttachment,
    ...options,
  });
  return { s, a, b, resultId: done.result.resultId, space };
}

async function acknowledge(resultId: string, covers: readonly EvidenceFile[], state: 'accepted' | 'held' = 'accepted') {
  const [op] = await outboxRepo(dbs.field).list();
  if (!op) throw new Error('finalize queued no op');
  const receipt: Receipt = {
    resultId,
    receivedAt: '2026-05-06T03:00:00Z',
    contentHash: 'a'.repeat(64),
    attachmentHashes: covers.map((f) => ({ id: f.id, sha256: f.sha256 })),
    publication: { state, publishedAt: null, deadline: '2026-06-02' },
    clockSkewFlagged: false,
  };
  await outboxRepo(dbs.field).acknowledge(op.opId, receipt);
}

describe('reclaiming evidence originals', () => {
  it('keeps originals without a receipt and inside the retention, with the reason', async () => {
    const { a, b, resultId, space } = await finalized();
    const first = await space.overview();
    expect(first.tasks[0]).toMatchObject({ taskId: 'task-1', originalsBytes: a.size + b.size, draftBytes: 0 });
    expect(first.tasks[0]?.results[0]?.reasons).toEqual(['平台尚未出具回执']);
    expect(await space.reclaim(resultId)).toEqual({
      ok: false,
      error: { kind: 'not-allowed', message: '原件不能清理：平台尚未出具回执' },
    });
    await acknowledge(resultId, [a, b]);
    later(10);
    expect(await space.reclaim(resultId)).toMatchObject({
      ok: false,
      error: { message: '原件不能清理：保留期（30 天）未满' },
    });
    expect((await attachmentsRepo(dbs.field).get(a.id))?.blob.size).toBe(a.size);
  });

  it('frees only the originals the receipt covers by id and hash, after retention; record and signatures stay', async () => {
    const { s, a, b, resultId, space } = await finalized();
    // The receipt names b with another hash: b is not proven and must stay.
    await acknowledge(resultId, [a, { ...b, sha256: 'f'.repeat(64) }]);
    later(31);
    const before = (await space.overview()).tasks[0]!.results[0]!;
    expect(before.evidence.map((e) => [e.id, e.state, e.reason])).toEqual([
      [a.id, 'reclaimable', null],
      [b.id, 'kept', '回执未包含该附件或校验值不符'],
    ]);
    expect(before.reclaimableBytes).toBe(a.size);

    const out = await space.reclaim(resultId);
    expect(out).toEqual({
      ok: true,
      freed: a.size,
      reclaimed: 1,
      kept: [{ id: b.id, reason: '回执未包含该附件或校验值不符' }],
    });
    const rowA = await attachmentsRepo(dbs.field).get(a.id);
    expect(rowA).toMatchObject({ sha256: a.sha256, size: a.size, reclaimed: { at: clock.toISOString() } });
    expect(rowA?.blob.size).toBe(0);
    expect((await attachmentsRepo(dbs.field).get(b.id))?.blob.size).toBe(b.size);
    const files = await s.inspection.evidenceFor(resultId);
    for (const sig of files.filter((f) => f.kind === 'signature')) expect(sig.blob.size).toBeGreaterThan(0);
    expect((await s.inspection.resultsForTask('task-1')).map((r) => r.resultId)).toEqual([resultId]);
    const chain = await auditRepo(dbs.field).list();
    expect(chain.at(-1)).toMatchObject({
      kind: 'evidence.reclaimed',
      subjectId: a.id,
      detail: { resultId, sha256: a.sha256, size: a.size, receiptReceivedAt: '2026-05-06T03:00:00Z' },
    });
    expect((await s.integrity.check()).ok).toBe(true);
    const after = (await space.overview()).tasks[0]!;
    expect(after.originalsBytes).toBe(b.size);
    expect(after.results[0]?.evidence[0]).toMatchObject({ state: 'reclaimed', reclaimedAt: clock.toISOString() });
    // Nothing left to free: a second reclaim frees nothing and records nothing.
    expect(await space.reclaim(resultId)).toMatchObject({ ok: false });
    expect((await auditRepo(dbs.field).list()).length).toBe(chain.length);
  });

  it('keeps an original whose bytes no longer match the hash the receipt covers', async () => {
    const { a, b, resultId, space } = await finalized();
    await acknowledge(resultId, [a, b]);
    later(31);
    const row = (await dbs.field.attachments.get(a.id))!;
    await dbs.field.attachments.put({ ...row, blob: tinyPng('swapped-bytes') });
    const out = await space.reclaim(resultId);
    expect(out).toEqual({
      ok: true,
      freed: b.size,
      reclaimed: 1,
      kept: [{ id: a.id, reason: '原件内容与保存时的校验值不符，未清理' }],
    });
    expect((await attachmentsRepo(dbs.field).get(a.id))?.blob.size).toBeGreaterThan(0);
  });

  it('by default a receipt counts only with a platform signature and log proof: a hand-made one frees nothing', async () => {
    const f = await finalized();
    await acknowledge(f.resultId, [f.a, f.b]);
    // Registered, so the check reaches the receipt's own proofs (and finds none).
    const key = await deviceKeysRepo(dbs.field).current();
    if (!key) throw new Error('finalize made no device key');
    await deviceKeysRepo(dbs.field).setRegistered(key.publicKey, 'dk-test', '2026-05-06T03:00:00Z');
    later(31);
    const strict = createSpaceService(f.s.internals.runtime, { retentionDays: 30, estimate: async () => ({}) });
    expect(await strict.reclaim(f.resultId)).toMatchObject({
      ok: false,
      error: { message: '原件不能清理：平台回执未通过验证' },
    });
    expect((await attachmentsRepo(dbs.field).get(f.a.id))?.blob.size).toBe(f.a.size);
  });

  it('never reclaims on a receipt the verifier rejects, or while the platform holds the result back', async () => {
    const rejected = await finalized({ receiptVerified: async () => false });
    await acknowledge(rejected.resultId, [rejected.a, rejected.b]);
    later(31);
    expect(await rejected.space.reclaim(rejected.resultId)).toMatchObject({
      ok: false,
      error: { message: '原件不能清理：平台回执未通过验证' },
    });
    const held = createSpaceService(rejected.s.internals.runtime, { retentionDays: 30 });
    await acknowledge(rejected.resultId, [rejected.a, rejected.b], 'held');
    expect(await held.reclaim(rejected.resultId)).toMatchObject({
      ok: false,
      error: { message: '原件不能清理：结果被平台暂缓公示，需复核' },
    });
    expect((await attachmentsRepo(dbs.field).get(rejected.a.id))?.blob.size).toBe(rejected.a.size);
  });

  it('says the draft evidence of an unfinished inspection is never reclaimable', async () => {
    const s = testServices(dbs, { now: () => clock });
    await s.inspection.openDraft('task-1');
    const a = await s.inspection.addEvidence('task-1', tinyPng('draft'), 'photo', 'a.png');
    const space = createSpaceService(s.internals.runtime, { estimate: async () => ({ usage: 1000, quota: 9000 }) });
    const o = await space.overview();
    expect(o).toMatchObject({ usage: 1000, quota: 9000, retentionDays: 90 });
    expect(o.tasks[0]).toMatchObject({ originalsBytes: a.size, draftBytes: a.size, results: [] });
  });

  it('verifies a result’s receipt once, not once per evidence item, and again only when the receipt changes', async () => {
    const logKey = await createTestLogKey();
    const adapter = testAdapter();
    const s = testServices(dbs, {
      now: () => clock,
      adapter: {
        ...adapter,
        config: async () => ({ ...(await adapter.config()), platformLogKey: logKey.verifierKey }),
      },
    });
    const draft = await s.inspection.openDraft('task-1');
    const files = [];
    for (const tag of ['a', 'b', 'c'])
      files.push(await s.inspection.addEvidence('task-1', tinyPng(tag), 'photo', `${tag}.png`));
    await s.inspection.saveDraft(await signDraft(s.inspection, passed(draft)));
    const done = await s.inspection.finalize('task-1');
    if (!done.ok) throw new Error(JSON.stringify(done.problems));
    const rt = s.internals.runtime;
    const key = (await deviceKeysRepo(dbs.field).current())!;
    await deviceKeysRepo(dbs.field).setRegistered(key.publicKey, 'dk-test', '2026-05-06T03:00:00Z');
    const row = (await resultsRepo(dbs.field).get(done.result.resultId))!;
    const signature = (await rt.repos.checkpoints.get(row.resultId))!.signature;
    const up = buildUpload(
      row,
      await metaRepo(dbs.field).deviceId(),
      { keyId: 'dk-test', signature },
      files.map((f) => ({ id: f.id, sha256: f.sha256, size: f.size, mime: 'image/png', uploadUrl: null })),
    );
    const base = {
      resultId: row.resultId,
      receivedAt: '2026-05-06T03:00:00Z',
      contentHash: row.contentHash,
      attachmentHashes: files.map((f) => ({ id: f.id, sha256: f.sha256 })),
      publication: { state: 'accepted' as const, publishedAt: null, deadline: '2026-06-02' },
      clockSkewFlagged: false,
    };
    const [op] = await outboxRepo(dbs.field).list();
    await outboxRepo(dbs.field).acknowledge(op!.opId, await logKey.receiptFor(up, base));
    later(31);

    let checks = 0;
    const counting: typeof verifyReceipt = (...args) => {
      checks += 1;
      return verifyReceipt(...args);
    };
    const space = createSpaceService(rt, {
      retentionDays: 30,
      estimate: async () => ({}),
      receiptVerified: provenReceipt(rt, { verify: counting }),
    });
    const first = (await space.overview()).tasks[0]!.results[0]!;
    expect(first.evidence.map((e) => e.state)).toEqual(['reclaimable', 'reclaimable', 'reclaimable']);
    expect(checks).toBe(1);
    await space.overview();
    expect(checks).toBe(1);

    // A new receipt (published now) is a new input: verified once more, then reclaim reuses it.
    const published = await logKey.receiptFor(up, {
      ...base,
      publication: { state: 'published', publishedAt: '2026-05-07T03:00:00Z', deadline: '2026-06-02' },
    });
    await outboxRepo(dbs.field).acknowledge(op!.opId, published);
    await space.overview();
    expect(checks).toBe(2);
    expect(await space.reclaim(row.resultId)).toMatchObject({ ok: true, reclaimed: 3 });
    expect(checks).toBe(2);
  });
});

describe('reclaiming a body-camera recording', () => {
  it('deletes its chunks once proven, keeping the row, hash and clip marks; an altered chunk keeps it', async () => {
    const s = testServices(dbs, { now: () => clock });
    const draft = await s.inspection.openDraft('task-1');
    // Ten minutes of 8 kHz audio: more than two chunks, so the hash runs over several sealed rows.
    const rec = await s.inspection.importMedia('task-1', wavFile(600), '录音0001.wav', null);
    if (!rec.ok) throw new Error(rec.error.message);
    const id = rec.file.id;
    const chunks = mediaChunksRepo(dbs.field);
    const stored = await chunks.count(id);
    expect(stored).toBeGreaterThan(2);
    expect(await s.inspection.markClip(id, { fromS: 1, toS: 5, note: '询问经过' })).toEqual({ ok: true });
    await s.inspection.saveDraft(await signDraft(s.inspection, passed(draft)));
    const done = await s.inspection.finalize('task-1');
    if (!done.ok) throw new Error(JSON.stringify(done.problems));
    const resultId = done.result.resultId;
    const space = createSpaceService(s.internals.runtime, {
      retentionDays: 30,
      estimate: async () => ({}),
      receiptVerified: receiptCoversAttachment,
    });
    await acknowledge(resultId, [rec.file]);
    later(31);
    const listed = (await space.overview()).tasks[0]!;
    expect(listed.originalsBytes).toBe(rec.file.size);
    expect(listed.results[0]?.evidence.map((e) => [e.kind, e.state])).toEqual([['audio', 'reclaimable']]);

    // A chunk changed on disk: the bytes are no longer the ones the receipt names, so they stay.
    const original = await chunks.read(id, 1);
    const altered = original.slice();
    altered[0] = altered[0]! ^ 1;
    await chunks.put(id, 1, altered);
    expect(await space.reclaim(resultId)).toEqual({
      ok: false,
      error: { kind: 'not-allowed', message: '原件不能清理：原件内容与保存时的校验值不符，未清理' },
    });
    expect(await chunks.count(id)).toBe(stored);
    await chunks.put(id, 1, original);

    expect(await space.reclaim(resultId)).toEqual({ ok: true, freed: rec.file.size, reclaimed: 1, kept: [] });
    expect(await chunks.count(id)).toBe(0);
    const row = await attachmentsRepo(dbs.field).get(id);
    expect(row).toMatchObject({ sha256: rec.file.sha256, size: rec.file.size, reclaimed: { at: clock.toISOString() } });
    expect(row?.clips?.map((c) => c.note)).toEqual(['询问经过']);
    expect((await auditRepo(dbs.field).list()).at(-1)).toMatchObject({
      kind: 'evidence.reclaimed',
      subjectId: id,
      detail: { resultId, evidenceKind: 'audio', sha256: rec.file.sha256, size: rec.file.size },
    });
    expect((await s.integrity.check()).ok).toBe(true);
    await expect(s.inspection.openMedia(id)).rejects.toThrow('不能在本机播放');
    expect((await space.overview()).tasks[0]?.originalsBytes).toBe(0);
  });
});
