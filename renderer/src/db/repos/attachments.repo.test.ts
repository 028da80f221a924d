import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { disposeDatabases, freshDatabases } from '../../testing/builders.js';
import type { AttachmentRow } from '../evidence-rows.js';
import { DraftFrozenError } from './drafts.repo.js';
import { StorageFullError, attachmentsRepo, hashBlob, isQuotaError } from './attachments.repo.js';

const dbsList: ReturnType<typeof freshDatabases>[] = [];
afterEach(async () => {
  for (const d of dbsList.splice(0)) await disposeDatabases(d);
});

async function row(id: string, bytes: string, over: Partial<AttachmentRow> = {}): Promise<AttachmentRow> {
  const blob = new Blob([bytes], { type: 'image/png' });
  return {
    id,
    resultId: 'r-1',
    taskId: 'task-1',
    kind: 'photo',
    mime: 'image/png',
    size: blob.size,
    sha256: await hashBlob(blob),
    blob,
    thumbnail: null,
    fileName: `${id}.png`,
    capturedAt: `2026-05-06T02:00:0${id.length % 10}Z`,
    ...over,
  };
}

describe('attachments repository', () => {
  it('stores Blobs and reads them back byte for byte with the hash taken at capture', async () => {
    const dbs = freshDatabases();
    dbsList.push(dbs);
    const repo = attachmentsRepo(dbs.field);
    const a = await row('att-a', 'first photo bytes');
    await repo.add(a);
    await repo.add(await row('att-bb', 'second', { kind: 'scan', mime: 'application/pdf' }));
    await repo.add(await row('att-c', 'other result', { resultId: 'r-2' }));
    const back = await repo.get('att-a');
    expect(back?.blob).toBeInstanceOf(Blob);
    expect(await back?.blob.text()).toBe('first photo bytes');
    expect(await hashBlob(back!.blob)).toBe(a.sha256);
    expect((await repo.forResult('r-1')).map((r) => r.id)).toEqual(['att-a', 'att-bb']);
    expect((await repo.forTask('task-1')).length).toBe(3);
  });

  it('hashes like the published SHA-256 test vector', async () => {
    expect(await hashBlob(new Blob(['abc']))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('refuses a row whose size or hash does not match and leaves nothing behind', async () => {
    const dbs = freshDatabases();
    dbsList.push(dbs);
    const repo = attachmentsRepo(dbs.field);
    await expect(repo.add({ ...(await row('att-x', 'abc')), size: 99 })).rejects.toThrow('大小');
    await expect(repo.add({ ...(await row('att-y', 'abc')), sha256: 'nope' })).rejects.toThrow('SHA-256');
    expect(await repo.forResult('r-1')).toEqual([]);
  });

  it('freezes evidence once its result is finalized', async () => {
    const dbs = freshDatabases();
    dbsList.push(dbs);
    const repo = attachmentsRepo(dbs.field);
    await repo.add(await row('att-a', 'x'));
    await dbs.field.results.put({ resultId: 'r-1', taskId: 'task-1' } as never);
    await expect(repo.remove('att-a', { reason: '拍错了', at: '2026-05-06T01:00:00Z' })).rejects.toBeInstanceOf(
      DraftFrozenError,
    );
    await expect(repo.add(await row('att-b', 'y'))).rejects.toBeInstanceOf(DraftFrozenError);
    expect((await repo.forResult('r-1')).map((r) => r.id)).toEqual(['att-a']);
  });

  it('maps a quota error (also wrapped by Dexie) to the zh-CN storage-full error', async () => {
    const quota = Object.assign(new Error('full'), { name: 'QuotaExceededError' });
    expect(isQuotaError(quota)).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: quota })).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
    const dbs = freshDatabases();
    dbsList.push(dbs);
    const table = dbs.field.attachments;
    Object.defineProperty(table, 'add', { value: () => Promise.reject(quota), configurable: true });
    await expect(attachmentsRepo(dbs.field).add(await row('att-q', 'z'))).rejects.toBeInstanceOf(StorageFullError);
    Reflect.deleteProperty(table, 'add');
    expect(await dbs.field.attachments.count()).toBe(0);
    expect(new StorageFullError().message).toContain('存储空间已满');
  });
});
