import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disposeDatabases, freshDatabases } from '../../testing/builders.js';
import type { Databases } from '../databases.js';
import { auditRepo, GENESIS_HASH } from './audit.repo.js';

let dbs: Databases;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

describe('auditRepo', () => {
  it('chains entries and verifies the chain', async () => {
    const repo = auditRepo(dbs.field);
    const a = await repo.append({ at: '2026-05-01T00:00:00Z', kind: 'k', subjectId: 's1', detail: { n: 1 } });
    const b = await repo.append({ at: '2026-05-01T00:00:01Z', kind: 'k', subjectId: 's2', detail: { n: 2 } });
    expect(a.prevHash).toBe(GENESIS_HASH);
    expect(b.prevHash).toBe(a.hash);
    expect(await repo.head()).toEqual({ count: 2, headHash: b.hash });
    expect(await repo.verify()).toBeNull();
  });

  it('detects an edited row', async () => {
    const repo = auditRepo(dbs.field);
    await repo.append({ at: 'a', kind: 'k', subjectId: 's1', detail: {} });
    await repo.append({ at: 'b', kind: 'k', subjectId: 's2', detail: {} });
    await dbs.field.audit.update(1, { subjectId: 'tampered' });
    expect(await repo.verify()).toBe(1);
  });

  it('refuses a prepared entry when the head moved', async () => {
    const repo = auditRepo(dbs.field);
    const stale = await repo.prepare({ at: 'a', kind: 'k', subjectId: 's1', detail: {} });
    await repo.append({ at: 'b', kind: 'k', subjectId: 's2', detail: {} });
    await expect(dbs.field.transaction('rw', dbs.field.audit, () => repo.writeInTx(stale))).rejects.toThrow(
      /head moved/,
    );
  });
});
