/**
 * The keystroke journal in IndexedDB: replayed only for the same draft and only when it parses and
 * differs; writes keep their order with clears; old localStorage journals are moved in once.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldDb, journalRepo, type JournalRepo } from '../../db/index.js';
import type { Draft } from './inspection.api.js';
import {
  clearJournal,
  readJournal,
  writeJournal,
  type JournalTarget,
  type LegacyJournalStore,
} from './draft-journal.js';

const dbs: FieldDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function memoryLegacy(entries: Record<string, string> = {}): LegacyJournalStore & { map: Map<string, string> } {
  const map = new Map(Object.entries(entries));
  return {
    map,
    keys: () => [...map.keys()],
    getItem: (k) => map.get(k) ?? null,
    removeItem: (k) => void map.delete(k),
  };
}

function target(
  legacy: LegacyJournalStore | null = null,
  wrap: (r: JournalRepo) => JournalRepo = (r) => r,
): JournalTarget & { db: FieldDb } {
  const db = new FieldDb(`journal-${Math.random()}`);
  dbs.push(db);
  return { db, repo: wrap(journalRepo(db)), legacy };
}

function draft(over: Partial<Draft> = {}): Draft {
  return {
    taskId: 't-1',
    resultId: 'r-1',
    startedAt: '2026-11-22T01:00:00.000Z',
    inspectedOn: '2026-11-22',
    items: [
      {
        itemCode: 'N010',
        outcome: 'fail',
        note: '',
        finding: {
          description: '',
          legalBasis: '条例',
          severity: 'general',
          handling: 'rectify',
          rectifyDeadline: null,
          lenient: null,
        },
      },
    ],
    findings: '',
    resultCodes: [],
    checkMethods: [],
    followUps: [],
    replaces: null,
    updatedAt: '2026-11-22T01:00:00.000Z',
    captions: {},
    signatures: [],
    templates: [],
    usccNote: '',
    ...over,
  };
}

describe('draft journal', () => {
  it('gives back the typed text that was never saved, from IndexedDB once the write resolved', async () => {
    const t = target();
    const saved = draft();
    expect(await writeJournal({ ...saved, findings: '台账记录不全' }, new Date('2026-11-22T01:00:05Z'), t)).toBe(true);
    expect((await t.db.journal.get('r-1'))?.draft).toMatchObject({ findings: '台账记录不全' });
    expect((await readJournal(saved, t))?.findings).toBe('台账记录不全');
  });

  it('replays nothing when the journal says the same as the saved draft (only the save stamp differs), and forgets it', async () => {
    const t = target();
    await writeJournal(draft({ updatedAt: '2026-11-22T01:00:01.000Z' }), new Date(), t);
    expect(await readJournal(draft({ updatedAt: '2026-11-22T01:00:02.000Z' }), t)).toBeNull();
    expect(await t.db.journal.count()).toBe(0);
  });

  it('never applies a journal of another draft or task', async () => {
    const t = target();
    await writeJournal(draft({ findings: 'x' }), new Date(), t);
    expect(await readJournal(draft({ resultId: 'r-2' }), t)).toBeNull();
    expect(await readJournal(draft({ taskId: 't-2' }), t)).toBeNull();
  });

  it('drops a journal that does not parse instead of half-applying it', async () => {
    const t = target();
    await t.repo.put({
      resultId: 'r-1',
      taskId: 't-1',
      v: 1,
      writtenAt: 'x',
      draft: { taskId: 't-1', resultId: 'r-1', items: 'oops' },
    });
    expect(await readJournal(draft(), t)).toBeNull();
    expect(await t.db.journal.count()).toBe(0);
  });

  it('clearing after a committed save leaves nothing to replay', async () => {
    const t = target();
    await writeJournal(draft({ findings: 'y' }), new Date(), t);
    await clearJournal('r-1', t);
    expect(await readJournal(draft(), t)).toBeNull();
  });

  it('keeps the order of writes and clears: the last form typed wins, and typing after a clear survives it', async () => {
    const t = target();
    const writes = ['台', '台账', '台账记', '台账记录'].map((findings) =>
      writeJournal(draft({ findings }), new Date(), t),
    );
    const cleared = clearJournal('r-1', t);
    const after = writeJournal(draft({ findings: '台账记录不全' }), new Date(), t);
    expect(await Promise.all(writes)).toEqual([true, true, true, true]);
    await cleared;
    expect(await after).toBe(true);
    expect((await readJournal(draft(), t))?.findings).toBe('台账记录不全');
  });

  it('a burst of changes while one write commits becomes one more write holding the latest form', async () => {
    const puts: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((done) => (release = done));
    const t = target(null, (r) => ({
      ...r,
      put: async (row) => {
        puts.push((row.draft as Draft).findings);
        if (puts.length === 1) await gate; // the first transaction is still committing
        await r.put(row);
      },
    }));
    const first = writeJournal(draft({ findings: 'a' }), new Date(), t);
    await expect.poll(() => puts.length).toBe(1);
    const burst = ['ab', 'abc', 'abcd', 'abcde'].map((findings) => writeJournal(draft({ findings }), new Date(), t));
    release();
    expect(await Promise.all([first, ...burst])).toEqual([true, true, true, true, true]);
    expect(puts).toEqual(['a', 'abcde']);
    expect((await readJournal(draft(), t))?.findings).toBe('abcde');
  });

  it('reports a journal that could not be written', async () => {
    const t = target(null, (r) => ({
      ...r,
      put: () => Promise.reject(new DOMException('quota', 'QuotaExceededError')),
    }));
    expect(await writeJournal(draft(), new Date(), t)).toBe(false);
  });

  it('moves a localStorage journal of an earlier version into IndexedDB once, and deletes it there', async () => {
    const old = JSON.stringify({
      v: 1,
      writtenAt: '2026-11-22T01:00:05.000Z',
      draft: draft({ findings: '旧版本的记录' }),
    });
    const legacy = memoryLegacy({ 'inspection-journal:r-1': old, 'inspection-journal:r-9': 'not json' });
    const t = target(legacy);
    expect((await readJournal(draft(), t))?.findings).toBe('旧版本的记录');
    expect(legacy.map.size).toBe(0);
    expect((await t.db.journal.get('r-1'))?.writtenAt).toBe('2026-11-22T01:00:05.000Z');
    expect(await t.db.journal.get('r-9')).toBeUndefined();
  });

  it('a journal already in IndexedDB that is newer beats the localStorage one', async () => {
    const old = JSON.stringify({ v: 1, writtenAt: '2026-11-22T01:00:05.000Z', draft: draft({ findings: '旧' }) });
    const legacy = memoryLegacy({ 'inspection-journal:r-1': old });
    const t = target(legacy);
    await t.repo.put({
      resultId: 'r-1',
      taskId: 't-1',
      v: 1,
      writtenAt: '2026-11-22T02:00:00.000Z',
      draft: draft({ findings: '新' }),
    });
    expect((await readJournal(draft(), t))?.findings).toBe('新');
    expect(legacy.map.size).toBe(0);
  });
});
