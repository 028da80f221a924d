/**
 * Place, clock and EXIF of each piece of evidence: a fix with its accuracy or the registered address
 * marked as such, the platform clock offset, and the photo's own EXIF with its disagreements in the
 * payload the content hash covers. A row captured before these existed gives the payload it always gave.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachmentsRepo, enterprisesRepo, tasksRepo } from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeEnterprise, makeTask, testServices } from '../../testing/builders.js';
import { BARE_JPEG, jpegWithExif } from '../../testing/exif-jpeg.js';
import { tinyPng } from '../../testing/inspection.testkit.js';
import { buildPayload, toDraft } from './inspection-payload.js';

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(async () => {
  dbs = freshDatabases();
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
});
afterEach(() => disposeDatabases(dbs));

const FIX = { lat: 37.5135, lon: 122.1207, accuracyM: 25, fixedAt: '2026-05-06T01:59:50.000Z' };

describe('where and when evidence was taken', () => {
  it('records the fix with its accuracy, and the platform clock offset', async () => {
    const s = testServices(dbs);
    await s.inspection.openDraft('task-1');
    const serverMs = Date.parse('2030-01-01T00:00:00.000Z');
    const before = Date.now();
    await s.internals.runtime.tokens.set({
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 900,
      serverTime: new Date(serverMs).toISOString(),
    });
    const after = Date.now();
    const f = await s.inspection.addEvidence('task-1', tinyPng('p'), 'photo', 'p.png', { fix: FIX });
    expect(f.place).toEqual({ source: 'geolocation', ...FIX });
    expect(f.clockSkewMs).toBeGreaterThanOrEqual(serverMs - after);
    expect(f.clockSkewMs).toBeLessThanOrEqual(serverMs - before);
    expect((await attachmentsRepo(dbs.field).get(f.id))?.place).toEqual({ source: 'geolocation', ...FIX });
  });

  it('without a fix records the registered address, marked as such, and an unknown clock offset', async () => {
    const s = testServices(dbs);
    const task = makeTask(1);
    await enterprisesRepo(dbs.cache).applyPage({
      changes: [{ kind: 'upsert', seq: 1, enterprise: makeEnterprise(1, { address: '威海市环翠区统一路 88 号' }) }],
      quarantined: [],
      nextCursor: '1',
      hasMore: false,
      total: 1,
      at: '2026-05-06T00:00:00Z',
    });
    expect(makeEnterprise(1).uscc).toBe(task.enterprise.uscc);
    await s.inspection.openDraft('task-1');
    const denied = await s.inspection.addEvidence('task-1', tinyPng('a'), 'photo', 'a.png', {
      fix: null,
      reason: 'denied',
    });
    expect(denied.place).toEqual({
      source: 'registered-address',
      address: '威海市环翠区统一路 88 号',
      reason: 'denied',
    });
    expect(denied.clockSkewMs).toBeNull();
    const none = await s.inspection.addEvidence('task-1', tinyPng('b'), 'photo', 'b.png');
    expect(none.place).toMatchObject({ source: 'registered-address', reason: 'unavailable' });
  });

  it('reads an imported photo’s EXIF and flags what disagrees with the capture record', async () => {
    const s = testServices(dbs); // the device clock says 2026-05-06T02:00:00Z
    const d = await s.inspection.openDraft('task-1');
    const bytes = jpegWithExif(BARE_JPEG, {
      dateTimeOriginal: '2026:05:05 10:00:00',
      offset: '+08:00',
      lat: 37.6,
      lon: 122.1207,
      make: 'HUAWEI',
      model: 'ELS-AN00',
    });
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' });
    const f = await s.inspection.addEvidence('task-1', blob, 'photo', 'old.jpg', { fix: FIX });
    expect(f.exif).toMatchObject({ takenAt: '2026-05-05T02:00:00.000Z', device: 'HUAWEI ELS-AN00' });
    expect(f.exifDifferences).toEqual([
      '照片自带的拍摄时间比保存时间早 24 小时',
      expect.stringMatching(/^照片自带的 GPS 位置与采集时的定位相距约 9\.\d 公里$/),
    ]);
    const rows = await attachmentsRepo(dbs.field).forResult(d.resultId);
    const payload = buildPayload({
      draft: toDraft((await dbs.field.drafts.get('task-1'))!),
      task: makeTask(1),
      reference: null,
      history: { penalties: [], spotChecks: [] },
      files: rows,
      finishedAt: '2026-05-06T02:10:00.000Z',
      deadline: '2026-05-26',
    });
    expect(payload.evidence?.[0]).toMatchObject({
      place: { source: 'geolocation', accuracyM: 25 },
      exif: { takenAt: '2026-05-05T02:00:00.000Z' },
      exifDifferences: f.exifDifferences,
      clockSkewMs: null,
    });
  });

  it('an evidence row from before place and EXIF were recorded gives the payload entry it always gave', async () => {
    const row = {
      id: 'att-old',
      resultId: 'r-1',
      taskId: 'task-1',
      kind: 'photo' as const,
      mime: 'image/png',
      size: 3,
      sha256: 'a'.repeat(64),
      blob: new Blob(['abc'], { type: 'image/png' }),
      thumbnail: null,
      fileName: 'old.png',
      capturedAt: '2026-05-01T00:00:00.000Z',
    };
    const s = testServices(dbs);
    await s.inspection.openDraft('task-1');
    const payload = buildPayload({
      draft: toDraft((await dbs.field.drafts.get('task-1'))!),
      task: makeTask(1),
      reference: null,
      history: { penalties: [], spotChecks: [] },
      files: [row],
      finishedAt: '2026-05-06T02:10:00.000Z',
      deadline: '2026-05-26',
    });
    expect(Object.keys(payload.evidence?.[0] ?? {}).sort()).toEqual(
      ['caption', 'capturedAt', 'id', 'kind', 'mime', 'sha256', 'size'].sort(),
    );
  });
});
