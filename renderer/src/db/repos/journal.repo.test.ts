import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { FieldDb } from '../databases.js';
import { journalRepo, type JournalRow } from './journal.repo.js';

const dbs: FieldDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function fresh(): FieldDb {
  const db = new FieldDb(`journal-${Math.random()}`);
  dbs.push(db);
  return db;
}

const row = (resultId: string, writtenAt: string, findings = ''): JournalRow => ({
  resultId,
  taskId: 't-1',
  v: 1,
  writtenAt,
  draft: { findings },
});

describe('journal repo', () => {
  it('replaces the row of a draft on every put and removes it', async () => {
    const repo = journalRepo(fresh());
    expect(await repo.get('r-1')).toBeNull();
    await repo.put(row('r-1', '2026-05-01T08:00:00.000Z', '台'));
    await repo.put(row('r-1', '2026-05-01T08:00:01.000Z', '台账'));
    await repo.put(row('r-2', '2026-05-01T08:00:01.000Z', '其他'));
    expect((await repo.get('r-1'))?.draft).toEqual({ findings: '台账' });
    await repo.remove('r-1');
    expect(await repo.get('r-1')).toBeNull();
    expect((await repo.get('r-2'))?.draft).toEqual({ findings: '其他' });
  });

  it('putIfNewer keeps a journal written later than the one offered', async () => {
    const repo = journalRepo(fresh());
    await repo.put(row('r-1', '2026-05-01T08:00:05.000Z', 'newer'));
    expect(await repo.putIfNewer(row('r-1', '2026-05-01T08:00:01.000Z', 'older'))).toBe(false);
    expect((await repo.get('r-1'))?.draft).toEqual({ findings: 'newer' });
    expect(await repo.putIfNewer(row('r-1', '2026-05-01T08:00:09.000Z', 'newest'))).toBe(true);
    expect((await repo.get('r-1'))?.draft).toEqual({ findings: 'newest' });
    expect(await repo.putIfNewer(row('r-3', '2026-05-01T08:00:01.000Z', 'first'))).toBe(true);
  });
});
