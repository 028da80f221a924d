/**
 * The disk fills up (IndexedDB answers QuotaExceededError) while the inspector saves a photo: the
 * draft text already typed must survive and the rest of the queue must keep uploading. The fault is injected at the IndexedDB level (the object store's
 * add/put throws as Chromium does), under the real inspection service and Dexie.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageFullError } from '../../renderer/src/db/index.js';
import { finalizeWith, opOf, rig, settle, type Rig } from './harness.js';

let r: Rig;
beforeAll(async () => {
  r = await rig();
}, 60_000);
afterAll(() => r.stop());

type Write = (this: IDBObjectStore, value: unknown, key?: IDBValidKey) => IDBRequest;

/** Makes writes to the `attachments` store fail with QuotaExceededError until the returned undo runs. */
function fillDisk(): () => void {
  const proto = IDBObjectStore.prototype as unknown as { add: Write; put: Write };
  const add = proto.add;
  const put = proto.put;
  const full = (original: Write): Write =>
    function (this: IDBObjectStore, value, key) {
      if (this.name === 'attachments') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.call(this, value, key);
    };
  proto.add = full(add);
  proto.put = full(put);
  return () => {
    proto.add = add;
    proto.put = put;
  };
}

describe('disk full while saving a photo', () => {
  it('QuotaExceededError while saving a photo: a clear error, the draft text is saved, no half-written attachment row, sync continues for others', async () => {
    const [photoTask, otherTask] = [r.tasks[0]!, r.tasks[1]!];
    const draft = await r.s.inspection.openDraft(photoTask.id);
    await r.s.inspection.saveDraft({ ...draft, findings: '现场发现过期食品两批次，已拍照固定。' });
    const photo = new Blob([new Uint8Array(64 * 1024).fill(7)], { type: 'image/jpeg' });

    const undo = fillDisk();
    let error: unknown = null;
    try {
      await r.s.inspection.addEvidence(photoTask.id, photo, 'photo', '现场照片.jpg');
    } catch (e) {
      error = e;
    } finally {
      undo();
    }
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as Error).message).toMatch(/存储空间已满.*附件未保存/);
    expect((error as Error).message).toContain('已填写的检查记录不受影响');

    // The draft text survives (a fresh read after an app restart), and no attachment row exists.
    await r.restart();
    expect((await r.s.inspection.openDraft(photoTask.id)).findings).toBe('现场发现过期食品两批次，已拍照固定。');
    expect(await r.dbs.field.attachments.where('taskId').equals(photoTask.id).count()).toBe(0);

    // Another result uploads as usual; and once space is back the same photo saves.
    const other = await finalizeWith(r, otherTask, 1);
    await settle(r);
    expect((await opOf(r, other.opId)).state).toMatch(/^(accepted|published)$/);
    expect(r.platform.admin.counts(other.resultId).results).toBe(1);
    const saved = await r.s.inspection.addEvidence(photoTask.id, photo, 'photo', '现场照片.jpg');
    expect(saved.size).toBe(photo.size);
    expect(await r.dbs.field.attachments.where('taskId').equals(photoTask.id).count()).toBe(1);
  }, 60_000);
});
