import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disposeDatabases, freshDatabases, makeTask } from '../../testing/builders.js';
import type { Databases } from '../databases.js';
import { draftsRepo } from './drafts.repo.js';
import { syncStateRepo } from './sync-state.repo.js';
import { tasksRepo } from './tasks.repo.js';
import { newDraftRow } from '../../services/inspection/inspection.service.js';

let dbs: Databases;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

describe('tasksRepo', () => {
  it('applies a page and stores its cursor in the same transaction', async () => {
    const repo = tasksRepo(dbs.field);
    const n = await repo.applyPage(
      [
        { kind: 'upsert', seq: 1, task: makeTask(1) },
        { kind: 'upsert', seq: 2, task: makeTask(2) },
      ],
      '2',
      2,
      '2026-05-01T00:00:00Z',
    );
    expect(n).toBe(2);
    expect(await repo.count()).toBe(2);
    expect((await syncStateRepo(dbs.field.syncState).get('tasks')).cursor).toBe('2');
  });

  it('applies only newer versions', async () => {
    const repo = tasksRepo(dbs.field);
    await repo.applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1, { version: 3, taskNo: 'v3' }) }], '1', 1, 'x');
    const applied = await repo.applyPage(
      [{ kind: 'upsert', seq: 2, task: makeTask(1, { version: 2, taskNo: 'v2' }) }],
      '2',
      1,
      'x',
    );
    expect(applied).toBe(0);
    expect((await repo.get('task-1'))?.task.taskNo).toBe('v3');
    await repo.applyPage([{ kind: 'upsert', seq: 3, task: makeTask(1, { version: 4, taskNo: 'v4' }) }], '3', 1, 'x');
    expect((await repo.get('task-1'))?.task.taskNo).toBe('v4');
  });

  it('a failing page leaves neither rows nor cursor behind', async () => {
    const repo = tasksRepo(dbs.field);
    const bad = { kind: 'upsert', seq: 2, task: { ...makeTask(2), id: undefined } } as unknown as Parameters<
      typeof repo.applyPage
    >[0][number];
    await expect(repo.applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }, bad], '2', 2, 'x')).rejects.toThrow();
    expect(await repo.count()).toBe(0);
    expect((await syncStateRepo(dbs.field.syncState).get('tasks')).cursor).toBe('0');
  });

  it('marks cancelled/reassigned tasks and never deletes local work on a tombstone', async () => {
    const repo = tasksRepo(dbs.field);
    await repo.applyPage(
      [
        { kind: 'upsert', seq: 1, task: makeTask(1) },
        { kind: 'upsert', seq: 2, task: makeTask(2) },
      ],
      '2',
      2,
      'x',
    );
    await draftsRepo(dbs.field).createIfAbsent(newDraftRow(makeTask(1), new Date('2026-05-06T02:00:00Z')));
    await repo.applyPage(
      [
        { kind: 'upsert', seq: 3, task: makeTask(2, { version: 2, status: 'reassigned' }) },
        { kind: 'tombstone', seq: 4, id: 'task-1', version: 2 },
      ],
      '4',
      1,
      'x',
    );
    expect((await repo.get('task-2'))?.mark).toBe('reassigned');
    expect((await repo.get('task-1'))?.mark).toBe('removed');
    expect(await draftsRepo(dbs.field).get('task-1')).not.toBeNull();
    await repo.applyPage([{ kind: 'tombstone', seq: 5, id: 'task-2', version: 3 }], '5', 0, 'x');
    expect(await repo.get('task-2')).toBeNull();
  });
});
