/**
 * Reviewing a 平台记录被改写 alarm against the real simulator: the alarm shows both checkpoints;
 * the exported evidence re-verifies with nothing but the pinned key (both signed notes are valid, the
 * platform's own consistency proof fails); uploads stay stopped until the inspector acknowledges with
 * a reason; a bad reason changes nothing; the acknowledgement is on the audit chain with a device
 * signature that verifies; the alarm is archived, not reset; the paused result then goes, and the
 * next checkpoint is checked against the one that raised the alarm.
 */
import 'fake-indexeddb/auto';
import { hexToBytes } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyConsistency } from '../../shared/transparency/merkle-verify.js';
import { openCheckpoint, parseVerifierKey } from '../../shared/transparency/signed-note.js';
import { auditRepo } from '../../renderer/src/db/index.js';
import { webCryptoEd25519 } from '../../renderer/src/sync/receipt-verify.js';
import { finalizePassing, signedInLaptop, type Services } from './simulator-kit.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setUp() {
  const laptop = await signedInLaptop({ dirPrefix: 'tlog-ack-', minTasks: 5 });
  cleanups.push(laptop.dispose);
  return laptop;
}

const finalize = finalizePassing;

const stateOf = async (s: Services, resultId: string) =>
  (await s.outbox.list()).find((e) => e.resultId === resultId)?.state;

interface Evidence {
  platformLogKey: string;
  seen: { size: number; rootHash: string; signedCheckpoint: string };
  new: { size: number; rootHash: string; signedCheckpoint: string };
  consistencyProof: { from: number; to: number; hashes: string[] } | null;
}

describe('平台记录被改写: review, evidence, acknowledgement', () => {
  it('shows both checkpoints, exports evidence anyone can re-verify, resumes only after a signed acknowledgement with a reason', async () => {
    const { platform, s, dbs, tasks } = await setUp();
    const first = await finalize(s, tasks[0]!);
    const second = await finalize(s, tasks[1]!);
    await s.outbox.pushNow();
    expect(await stateOf(s, first)).toMatch(/^(accepted|published)$/);
    expect(await stateOf(s, second)).toMatch(/^(accepted|published)$/);

    platform.rewriteLog('drop', 0);
    const third = await finalize(s, tasks[2]!);
    await s.outbox.pushNow();
    const review = s.outbox.alarmReview;
    const alarm = await review.current();
    expect(alarm).not.toBeNull();
    expect(alarm!.message).toMatch(/^平台记录被改写：/);
    expect(alarm!.exportable).toBe(true);
    expect(alarm!.seen.rootHash).toMatch(/^[0-9a-f]{64}$/);
    expect(alarm!.newer.rootHash).not.toBe(alarm!.seen.rootHash);
    expect(alarm!.seen.seenAt).not.toBeNull();
    expect(await stateOf(s, third)).toBe('paused');

    // The evidence file: both notes open under the pinned key alone, and the platform's proof fails.
    const evidence = JSON.parse((await review.evidenceJson())!) as Evidence;
    const key = parseVerifierKey(evidence.platformLogKey);
    if (!key.ok) throw new Error(key.error.message);
    const seen = await openCheckpoint(evidence.seen.signedCheckpoint, key.value, webCryptoEd25519);
    const now = await openCheckpoint(evidence.new.signedCheckpoint, key.value, webCryptoEd25519);
    if (!seen.ok || !now.ok) throw new Error('a signed checkpoint of the evidence does not verify');
    expect([seen.value.size, now.value.size]).toEqual([evidence.seen.size, evidence.new.size]);
    const proof = evidence.consistencyProof;
    if (proof) {
      const [older, newer] = seen.value.size < now.value.size ? [seen.value, now.value] : [now.value, seen.value];
      expect([proof.from, proof.to]).toEqual([older.size, newer.size]);
      const checked = verifyConsistency(
        proof.from,
        proof.to,
        proof.hashes.map((h) => hexToBytes(h)),
        older.rootHash,
        newer.rootHash,
      );
      expect(checked.ok).toBe(false);
    } else {
      expect(seen.value.size).toBe(now.value.size);
      expect(evidence.seen.rootHash).not.toBe(evidence.new.rootHash);
    }

    // A reason too short is refused and changes nothing.
    const headBefore = await auditRepo(dbs.field).head();
    const refused = await review.acknowledge('  好 ', { newSize: alarm!.newer.size, newRoot: alarm!.newer.rootHash });
    expect(refused).toEqual({
      ok: false,
      error: { kind: 'invalid', message: expect.stringContaining('恢复上传的原因') },
    });
    // So is an acknowledgement of an alarm other than the one standing.
    const stale = await review.acknowledge('管理员已核查，平台已说明原因', { newSize: 999, newRoot: '0'.repeat(64) });
    expect(stale).toMatchObject({ ok: false, error: { kind: 'changed' } });
    expect(await auditRepo(dbs.field).head()).toEqual(headBefore);
    expect(await review.current()).not.toBeNull();
    await s.outbox.pushNow();
    expect(await stateOf(s, third)).toBe('paused');

    const reason = '经管理员核查：平台于维护中回滚了日志，已书面说明，同意恢复上传';
    expect(await review.acknowledge(reason, { newSize: alarm!.newer.size, newRoot: alarm!.newer.rootHash })).toEqual({
      ok: true,
    });
    expect(await review.current()).toBeNull();
    // Archived, not reset: the alarm and the checkpoints seen before it are kept with the reason.
    const acks = await review.acknowledged();
    expect(acks).toEqual([expect.objectContaining({ reason, signatureValid: true, newSize: alarm!.newer.size })]);
    const stored = await dbs.field.logAlarmReviews.toArray();
    expect(stored[0]!.alarm.evidence?.newNote).toBe(evidence.new.signedCheckpoint);
    expect(stored[0]!.archived.map((c) => c.rootHash)).toContain(alarm!.seen.rootHash);
    // On the chain, signed: the entry is the head; the next checkpoint is checked against the alarm's.
    const head = (await auditRepo(dbs.field).list()).at(-1)!;
    expect(head).toMatchObject({ kind: 'log.alarm.acknowledged', detail: expect.objectContaining({ reason }) });
    expect(await auditRepo(dbs.field).verify()).toBeNull();
    expect((await dbs.field.logCheckpoints.toArray()).map((c) => c.size)).toEqual([alarm!.newer.size]);

    // The paused result now goes (its receipt is the acknowledged checkpoint itself), and the next
    // result's checkpoint is accepted because it extends the acknowledged one.
    await s.outbox.pushNow();
    expect(await stateOf(s, third)).toMatch(/^(accepted|published)$/);
    const fourth = await finalize(s, tasks[3]!);
    await s.outbox.pushNow();
    expect(await stateOf(s, fourth)).toMatch(/^(accepted|published)$/);
    expect(await review.current()).toBeNull();
    expect(Math.max(...(await dbs.field.logCheckpoints.toArray()).map((c) => c.size))).toBeGreaterThan(
      alarm!.newer.size,
    );

    // A reason edited in the archive afterwards no longer verifies under the device signature.
    await dbs.field.logAlarmReviews.update(stored[0]!.id, { reason: `${reason}（改）` });
    expect((await review.acknowledged())[0]!.signatureValid).toBe(false);

    // A second rewrite raises a new alarm: acknowledging never turns the check off.
    platform.rewriteLog('drop', 0);
    const fifth = await finalize(s, tasks[4]!);
    await s.outbox.pushNow();
    expect(await review.current()).not.toBeNull();
    expect(await stateOf(s, fifth)).toBe('paused');
  }, 60_000);
});
