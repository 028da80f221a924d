import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditRepo } from '../../db/index.js';
import { disposeDatabases, freshDatabases, testServices } from '../../testing/builders.js';
import type { OutboxEntry } from '../api.js';
import { memoryLedger, mergeLedger } from './storage.service.js';

const entry = (resultId: string, state: OutboxEntry['state']): OutboxEntry => ({
  opId: `op-${resultId}`,
  resultId,
  taskId: `t-${resultId}`,
  enterpriseName: `企业${resultId}`,
  state,
  attempts: 0,
  lastAttemptAt: null,
  nextAttemptAt: null,
  lastError: null,
  advice: null,
  publicationDeadline: '2026-06-01',
  progress: null,
  setAsideCode: null,
  review: null,
  replaces: null,
  logIndex: null,
});

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

describe('receipt ledger', () => {
  it('a result once confirmed by receipt stays confirmed; waiting ones are not', () => {
    let l = mergeLedger([], [entry('a', 'waiting'), entry('b', 'accepted')], '2026-05-06T01:00:00Z');
    expect(l.map((e) => [e.resultId, e.confirmed])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    l = mergeLedger(l, [entry('b', 'needs_review')], '2026-05-06T02:00:00Z');
    expect(l.find((e) => e.resultId === 'b')).toMatchObject({ state: 'needs_review', confirmed: true });
  });

  it('acceptFresh marks the new store, clears the ledger and records what was lost in the audit log', async () => {
    const marker = {
      value: 'store-old' as string | null,
      get: () => marker.value,
      set: (v: string) => {
        marker.value = v;
      },
    };
    const ledger = memoryLedger();
    const s = testServices(dbs, {}, { markerMirror: marker, ledger });
    s.storage.remember?.([entry('a', 'waiting'), entry('b', 'published')]);
    expect((await s.storage.health()).state).toBe('wiped');
    expect(s.storage.ledger?.().length).toBe(2);
    await s.storage.acceptFresh?.();
    expect(ledger.value).toBeNull();
    expect(marker.value).toMatch(/^store-/);
    expect(marker.value).not.toBe('store-old');
    expect((await s.storage.health()).state).toBe('ok');
    const [audit] = await auditRepo(dbs.field).list();
    expect(audit).toMatchObject({
      kind: 'store.recovered',
      detail: { previousMarker: 'store-old', lostResults: 'a', lostCount: 1, confirmedCount: 1 },
    });
  });

  it('a bad ledger in localStorage reads as empty, never throws', () => {
    const ledger = memoryLedger();
    ledger.value = '{not json';
    expect(testServices(dbs, {}, { ledger }).storage.ledger?.()).toEqual([]);
  });
});

describe('integrity', () => {
  it('reports the first altered audit entry with a zh-CN message', async () => {
    const s = testServices(dbs);
    const audit = auditRepo(dbs.field);
    for (const n of [1, 2, 3])
      await audit.append({ at: '2026-05-06T01:00:00Z', kind: 'test', subjectId: `s${n}`, detail: { n } });
    expect(await s.integrity?.check()).toEqual({
      ok: true,
      brokenAt: null,
      entries: 3,
      badSignatures: [],
      message: null,
    });
    const row = (await audit.list())[1]!;
    await dbs.field.audit.put({ ...row, detail: { n: 99 } });
    const report = await s.integrity?.check();
    expect(report).toMatchObject({ ok: false, brokenAt: 2 });
    expect(report?.message).toContain('第 2 条及之后的记录被修改或删除');
  });
});
