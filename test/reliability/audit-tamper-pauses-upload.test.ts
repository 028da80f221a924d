/**
 * The audit log altered on disk. An edited (or deleted) entry breaks
 * the hash chain: the start-up check reports it, and the uploader pauses every result whose
 * checkpoint covers the broken entry with a zh-CN reason, while earlier results still go. A log cut
 * back and re-chained verifies locally, but the next result reuses a checkpoint position the
 * platform has already seen with another hash: the simulator refuses it.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepo } from '../../renderer/src/db/index.js';
import { finalizeWith, opOf, rig, settle, taskPicker, type Rig } from './harness.js';

let r: Rig;
const task = taskPicker(() => r);
beforeAll(async () => {
  r = await rig();
}, 60_000);
afterAll(() => r.stop());

describe('audit log tampering', () => {
  it('an audit row edited on disk: verification fails at start-up and before upload; affected results pause with a zh-CN reason', async () => {
    const early = await finalizeWith(r, task());
    const late = await finalizeWith(r, task());
    const lateRow = await r.dbs.field.results.get(late.resultId);
    const edited = lateRow!.auditCheckpoint.count;
    expect((await r.s.integrity!.check()).ok).toBe(true);
    // Someone edits the late result's audit entry in the IndexedDB files (content changed, hash kept).
    const entry = await r.dbs.field.audit.get(edited);
    await r.dbs.field.audit.put({ ...entry!, detail: { ...entry!.detail, contentHash: '0'.repeat(64) } });

    await r.restart();
    const report = await r.s.integrity!.check();
    expect(report).toMatchObject({ ok: false, brokenAt: edited });
    expect(report.message).toMatch(/审计日志校验失败.*暂停上传/);

    await settle(r);
    expect((await opOf(r, early.opId)).state).toMatch(/^(accepted|published)$/); // its checkpoint predates the edit
    const paused = await opOf(r, late.opId);
    expect(paused.state).toBe('paused');
    expect(paused.lastError).toContain(`第 ${edited} 条记录被修改或删除`);
    expect(r.platform.admin.counts(late.resultId).results).toBe(0);
    const shown = (await r.s.outbox.list()).find((e) => e.opId === late.opId);
    expect(shown?.advice).toContain('联系管理员');

    // A new sign-in resumes paused ops, but the gate pauses this one again: it never slips through.
    await r.dbs.field.outbox.where('state').equals('paused').modify({ state: 'waiting', nextAttemptAt: null });
    await settle(r);
    expect((await opOf(r, late.opId)).state).toBe('paused');
    expect(r.platform.admin.counts(late.resultId).results).toBe(0);
    // Deleting an entry instead of editing one is caught the same way (the next entry no longer links).
    const earlyCount = (await r.dbs.field.results.get(early.resultId))!.auditCheckpoint.count;
    await r.dbs.field.audit.delete(earlyCount);
    expect(await auditRepo(r.dbs.field).verify()).toBe(earlyCount + 1);
  }, 60_000);

  it('the platform refuses an audit checkpoint that re-uses a position it saw with another hash (log cut back and re-chained)', async () => {
    const fresh = await rig();
    try {
      const first = await finalizeWith(fresh, fresh.tasks[0]!);
      await settle(fresh);
      expect((await opOf(fresh, first.opId)).state).toMatch(/^(accepted|published)$/);
      const seen = (await fresh.dbs.field.results.get(first.resultId))!.auditCheckpoint;
      // The log is cut back to before the first inspection (its photo, finalize and upload entries):
      // what is left is a valid (shorter) chain, so the local check passes…
      const ofFirst = (await auditRepo(fresh.dbs.field).list()).filter(
        (e) => e.subjectId === first.resultId || e.detail['resultId'] === first.resultId,
      );
      const cutFrom = Math.min(...ofFirst.map((e) => e.seq));
      await fresh.dbs.field.audit.where('seq').aboveOrEqual(cutFrom).delete();
      expect(await auditRepo(fresh.dbs.field).verify()).toBeNull();
      const second = await finalizeWith(fresh, fresh.tasks[1]!);
      const reused = (await fresh.dbs.field.results.get(second.resultId))!.auditCheckpoint;
      expect(reused.count).toBe(seen.count);
      expect(reused.headHash).not.toBe(seen.headHash);
      // …but the platform remembers position `count` of this device with the first hash.
      await settle(fresh);
      const refused = await opOf(fresh, second.opId);
      expect(refused.state).toBe('needs_review');
      expect(refused.lastError).toMatch(/审计检查点不一致/);
      expect(fresh.platform.admin.counts(second.resultId).results).toBe(0);
      expect(fresh.platform.admin.counts(first.resultId).results).toBe(1);
    } finally {
      await fresh.stop();
    }
  }, 60_000);
});
