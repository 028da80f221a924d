/**
 * A finalized result edited through the store and the audit log re-chained with plain hashes: the
 * chain verifies, but the checkpoint the device key signed at finalize no longer matches, so the
 * start-up check fails with a zh-CN message and the uploader pauses that result (the earlier one
 * still goes). Re-signing with another key gets past the device's own check only by replacing the
 * stored key, and then the platform refuses it: the signature does not verify under the key it
 * registered, and it never registers a second key for the same inspector and device.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { signCheckpoint } from '../../shared/integrity/checkpoint.js';
import { toBase64Url } from '../../shared/integrity/encoding.js';
import { suiteFor } from '../../shared/integrity/suite.js';
import { auditRepo, type FieldDb } from '../../renderer/src/db/index.js';
import { finalizeWith, opOf, rig, settle, sha, taskPicker, type Rig } from './harness.js';

let r: Rig;
const task = taskPicker(() => r);
beforeAll(async () => {
  r = await rig();
}, 60_000);
afterAll(() => r.stop());

/** What someone with the store does: edit the result, fix its content hash, re-chain the log with plain SHA-256. */
async function editAndRechain(db: FieldDb, resultId: string, findings: string): Promise<void> {
  const row = (await db.results.get(resultId))!;
  const payload = { ...row.payload, findings };
  const contentHash = sha(canonicalJson(payload));
  const edited = row.auditCheckpoint.count;
  const entry = (await db.audit.get(edited))!;
  await db.audit.put({ ...entry, detail: { ...entry.detail, contentHash } });
  let prev = (await db.audit.get(edited - 1))?.hash ?? '0'.repeat(64);
  const rehashed = new Map<number, string>();
  for (const e of await db.audit.where('seq').aboveOrEqual(edited).sortBy('seq')) {
    const hash = sha(
      canonicalJson({ seq: e.seq, prevHash: prev, at: e.at, kind: e.kind, subjectId: e.subjectId, detail: e.detail }),
    );
    await db.audit.put({ ...e, prevHash: prev, hash });
    rehashed.set(e.seq, hash);
    prev = hash;
  }
  await db.results.update(resultId, { payload, contentHash });
  await db.checkpoints.update(resultId, { contentHash });
  // Every checkpoint at or after the edit moves to the new chain, so nothing looks out of place.
  for (const other of await db.results.toArray()) {
    const moved = rehashed.get(other.auditCheckpoint.count);
    if (moved === undefined) continue;
    await db.results.update(other.resultId, { auditCheckpoint: { ...other.auditCheckpoint, headHash: moved } });
    await db.checkpoints.update(other.resultId, { headHash: moved });
  }
}

describe('signed checkpoints against a re-chained log', () => {
  it('a result edited and the log re-chained: the chain verifies, the signature does not; start-up says so and the upload pauses', async () => {
    const early = await finalizeWith(r, task());
    const late = await finalizeWith(r, task());
    expect((await r.s.integrity!.check()).ok).toBe(true);

    await editAndRechain(r.dbs.field, late.resultId, '事后改写：未发现问题');
    expect(await auditRepo(r.dbs.field).verify()).toBeNull(); // plain hashes: the chain alone is fooled

    await r.restart();
    const report = await r.s.integrity!.check();
    expect(report).toMatchObject({ ok: false, brokenAt: null, badSignatures: [late.resultId] });
    expect(report.message).toMatch(/设备签名校验失败.*暂停上传/);

    await settle(r);
    expect((await opOf(r, early.opId)).state).toMatch(/^(accepted|published)$/);
    const paused = await opOf(r, late.opId);
    expect(paused.state).toBe('paused');
    expect(paused.lastError).toContain('设备签名校验失败');
    expect(r.platform.admin.counts(late.resultId).results).toBe(0);
    // Resumed by hand (as a new sign-in does), the gate pauses it again: it never slips through.
    await r.dbs.field.outbox.update(late.opId, { state: 'waiting', nextAttemptAt: null });
    await settle(r);
    expect((await opOf(r, late.opId)).state).toBe('paused');
    expect(r.platform.admin.counts(late.resultId).results).toBe(0);
  }, 60_000);

  it('re-signed with another key: passes only after replacing the stored key, and the platform refuses it either way', async () => {
    const fresh = await rig();
    try {
      const first = await finalizeWith(fresh, fresh.tasks[0]!);
      await settle(fresh); // registers the device key with the platform
      expect((await opOf(fresh, first.opId)).state).toMatch(/^(accepted|published)$/);
      const victim = await finalizeWith(fresh, fresh.tasks[1]!);
      await editAndRechain(fresh.dbs.field, victim.resultId, '事后改写');

      // The intruder's own key replaces the stored one and signs the edited checkpoint.
      const suite = suiteFor('sha256+ed25519');
      const made = await suite.generate();
      const stored = (await fresh.dbs.field.deviceKeys.get('current'))!;
      await fresh.dbs.field.deviceKeys.put({ ...stored, pkcs8: made.pkcs8, publicKey: toBase64Url(made.publicKey) });
      const row = (await fresh.dbs.field.results.get(victim.resultId))!;
      const signature = await signCheckpoint(suite, await suite.importSigningKey(made.pkcs8, made.publicKey), {
        resultId: row.resultId,
        contentHash: row.contentHash,
        deviceId: (await fresh.dbs.field.meta.get('deviceId'))!.value as string,
        deviceSeq: row.deviceSeq,
        count: row.auditCheckpoint.count,
        headHash: row.auditCheckpoint.headHash,
      });
      await fresh.dbs.field.checkpoints.update(victim.resultId, { signature });
      await fresh.restart();
      // Locally the edited result now verifies; only results the replaced key never signed show it…
      expect((await fresh.s.integrity!.check()).badSignatures).toEqual([first.resultId]);
      // …and the platform verifies under the key it registered.
      await settle(fresh);
      const refused = await opOf(fresh, victim.opId);
      expect(refused.state).toBe('needs_review');
      expect(refused.lastError).toMatch(/设备签名未通过/);
      expect(fresh.platform.admin.counts(victim.resultId).results).toBe(0);

      // Claiming the new key was never registered does not help: the platform keeps the first one.
      await fresh.dbs.field.deviceKeys.update('current', { keyId: null, registeredAt: null });
      await fresh.dbs.field.outbox.update(victim.opId, { state: 'waiting', nextAttemptAt: null });
      await fresh.restart();
      await settle(fresh);
      const again = await opOf(fresh, victim.opId);
      expect(again.state).toBe('needs_review');
      expect(again.lastError).toContain('与平台为本设备登记的密钥不一致');
      expect(fresh.platform.admin.counts(victim.resultId).results).toBe(0);
    } finally {
      await fresh.stop();
    }
  }, 60_000);
});
