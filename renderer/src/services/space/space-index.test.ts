/**
 * The storage overview on a sealed partition reads each evidence item's summary, never the sealed
 * row that holds its bytes: with those rows made unreadable on disk it still lists every item with
 * its size. Attachments stored before the summaries existed are opened once and summarised (the
 * migration), and not again.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheDb, openPartition, referenceRepo, tasksRepo, attachmentsRepo, type Databases } from '../../db/index.js';
import { makeReference, makeTask, TEST_CACHE_KEY, testServices } from '../../testing/builders.js';
import { signDraft, tinyPng } from '../../testing/inspection.testkit.js';
import { createSpaceService } from './space.service.js';

let dbs: Databases & { prefix: string };
beforeEach(async () => {
  const prefix = `space-index-${Math.random().toString(36).slice(2, 8)}-`;
  const key = crypto.getRandomValues(new Uint8Array(32));
  dbs = {
    field: openPartition(`${prefix}field`, { current: () => key }),
    cache: new CacheDb(`${prefix}cache`, undefined, TEST_CACHE_KEY),
    prefix,
  };
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
  await referenceRepo(dbs.cache).put(makeReference(), '"e1"', 'x');
});
afterEach(async () => {
  dbs.field.close();
  dbs.cache.close();
  await dbs.field.delete();
  await dbs.cache.delete();
});

/** Overwrites the sealed blob of every attachment row on disk, below the sealing layer. */
async function scrambleAttachmentRows(): Promise<number> {
  const idb = dbs.field.backendDB();
  return new Promise((resolve, reject) => {
    const tx = idb.transaction('attachments', 'readwrite');
    const store = tx.objectStore('attachments');
    let n = 0;
    const req = store.openCursor();
    req.onsuccess = () => {
      const c = req.result;
      if (!c) return;
      c.update({ ...(c.value as object), $s: new Uint8Array(64) });
      n += 1;
      c.continue();
    };
    tx.oncomplete = () => resolve(n);
    tx.onerror = () => reject(tx.error ?? new Error('scramble failed'));
  });
}

describe('storage overview from the evidence summaries', () => {
  it('lists sizes without opening the rows that hold the bytes; older rows are summarised once', async () => {
    // A second between captures, so the evidence is listed in a fixed order.
    let t = Date.parse('2026-05-06T02:00:00Z');
    const s = testServices(dbs, { now: () => new Date((t += 1000)) });
    const draft = await s.inspection.openDraft('task-1');
    const a = await s.inspection.addEvidence('task-1', tinyPng('photo-a'), 'photo', 'a.png');
    const b = await s.inspection.addEvidence('task-1', tinyPng('photo-b-longer'), 'photo', 'b.png');
    await s.inspection.saveDraft(
      await signDraft(s.inspection, {
        ...draft,
        items: draft.items.map((i) => ({ ...i, outcome: 'pass' })),
        resultCodes: ['NO_PROBLEM'],
        checkMethods: ['ON_SITE'],
        followUps: [],
      }),
    );
    const done = await s.inspection.finalize('task-1');
    if (!done.ok) throw new Error(JSON.stringify(done.problems));
    const space = createSpaceService(s.internals.runtime, { estimate: async () => ({}) });
    const expected = { taskId: 'task-1', originalsBytes: a.size + b.size, draftBytes: 0 };

    // As stored before the summaries existed: the first overview opens each row once and summarises it.
    await dbs.field.evidenceIndex.clear();
    expect((await space.overview()).tasks[0]).toMatchObject(expected);
    expect(await dbs.field.evidenceIndex.count()).toBeGreaterThanOrEqual(2);

    // The rows with the bytes no longer open at all; the overview does not need them.
    expect(await scrambleAttachmentRows()).toBeGreaterThanOrEqual(2);
    await expect(attachmentsRepo(dbs.field).forTask('task-1')).rejects.toThrow();
    const task = (await space.overview()).tasks[0]!;
    expect(task).toMatchObject(expected);
    expect(task.results[0]!.evidence.map((e) => [e.fileName, e.size, e.sha256])).toEqual([
      ['a.png', a.size, a.sha256],
      ['b.png', b.size, b.sha256],
    ]);
    expect(task.results[0]!.evidence[0]!.thumbnail?.size ?? null).toBe(a.thumbnail?.size ?? null);
  });
});
