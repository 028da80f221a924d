/**
 * Round trips per attachment on a slow link: with tus creation-with-upload the first chunk rides on
 * the POST, so a photo no larger than one chunk is stored by a single request and a larger one needs
 * one PATCH fewer. A creation POST lost on the link still ends with exactly one stored result.
 * Node: the real simulator in-process, the renderer's outbox on fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK_SIZE } from '../../renderer/src/db/index.js';
import { finalizeWith, opOf, requests, rig, settle, taskPicker, type Rig } from './harness.js';

let r: Rig;
const task = taskPicker(() => r);

beforeAll(async () => {
  r = await rig();
}, 60_000);
afterAll(() => r.stop());

const POSTS = /^\/v1\/uploads$/;
const PATCHES = /^\/v1\/uploads\/[^/]+$/;

describe('attachments ride on the creation request', () => {
  it('three photos below one chunk: three POSTs, no PATCH, the result accepted', async () => {
    const posts = requests(r, 'POST', POSTS);
    const patches = requests(r, 'PATCH', PATCHES);
    const { resultId, opId } = await finalizeWith(r, task(), 3, 4096);
    await settle(r);
    expect((await opOf(r, opId)).state).toMatch(/^(accepted|published)$/);
    expect(r.platform.admin.counts(resultId).results).toBe(1);
    expect(requests(r, 'POST', POSTS) - posts).toBe(3);
    expect(requests(r, 'PATCH', PATCHES) - patches).toBe(0);
  });

  it('a photo of one and a half chunks: its POST carries the first chunk, one PATCH the rest', async () => {
    const posts = requests(r, 'POST', POSTS);
    const patches = requests(r, 'PATCH', PATCHES);
    const { opId } = await finalizeWith(r, task(), 1, DEFAULT_CHUNK_SIZE + DEFAULT_CHUNK_SIZE / 2);
    await settle(r);
    expect((await opOf(r, opId)).state).toMatch(/^(accepted|published)$/);
    expect(requests(r, 'POST', POSTS) - posts).toBe(1);
    expect(requests(r, 'PATCH', PATCHES) - patches).toBe(1);
  });

  it('a creation POST carrying bytes fails on the link: the retry creates afresh, exactly 1 result', async () => {
    const { resultId, opId } = await finalizeWith(r, task(), 2, 256 * 1024);
    const posts = requests(r, 'POST', POSTS);
    r.wire.failNext('POST', POSTS);
    await r.s.internals.outbox.drain();
    expect(r.platform.admin.counts(resultId).results).toBe(0);
    expect((await opOf(r, opId)).state).toBe('waiting');
    await settle(r);
    expect(r.platform.admin.counts(resultId).results).toBe(1);
    expect((await opOf(r, opId)).state).toMatch(/^(accepted|published)$/);
    // The failed POST, then one for each attachment: no URL was stored for the failed one.
    expect(requests(r, 'POST', POSTS) - posts).toBe(3);
    expect(
      new Set(r.wire.log.filter((l) => l.path === `/v1/results/${resultId}`).map((l) => l.headers['idempotency-key'])),
    ).toEqual(new Set([opId]));
  });
});

describe('attachments in flight together, results still one after another', () => {
  it('three results of three photos: every PUT after all its attachments, in queue order, each once', async () => {
    const made = [];
    for (let i = 0; i < 3; i += 1) made.push(await finalizeWith(r, task(), 3, 300 * 1024));
    const mark = r.wire.log.length;
    await settle(r);
    const log = r.wire.log.slice(mark);
    // The platform refuses a PUT naming an attachment it has not stored: none may have been tried early.
    expect(log.filter((l) => l.method === 'PUT' && l.status === 409)).toEqual([]);
    const puts = log.filter((l) => l.method === 'PUT' && l.path.startsWith('/v1/results/'));
    expect(puts.map((l) => l.path)).toEqual(made.map((m) => `/v1/results/${m.resultId}`));
    expect(puts.map((l) => l.headers['idempotency-key'])).toEqual(made.map((m) => m.opId));
    for (const m of made) {
      expect(r.platform.admin.counts(m.resultId).results).toBe(1);
      expect((await opOf(r, m.opId)).state).toMatch(/^(accepted|published)$/);
    }
    expect(log.filter((l) => l.method === 'POST' && POSTS.test(l.path))).toHaveLength(9);
  });

  it('two uploads cut on the link while others run: each result stored exactly once, under its own key', async () => {
    const made = [];
    for (let i = 0; i < 2; i += 1) made.push(await finalizeWith(r, task(), 3, DEFAULT_CHUNK_SIZE + 4096));
    const mark = r.wire.log.length;
    r.wire.failNext('PATCH', PATCHES, 2);
    await settle(r);
    const log = r.wire.log.slice(mark);
    expect(log.filter((l) => l.method === 'PATCH' && l.status === 'error')).toHaveLength(2);
    for (const m of made) {
      expect(r.platform.admin.counts(m.resultId).results).toBe(1);
      expect((await opOf(r, m.opId)).state).toMatch(/^(accepted|published)$/);
      expect(
        new Set(log.filter((l) => l.path === `/v1/results/${m.resultId}`).map((l) => l.headers['idempotency-key'])),
      ).toEqual(new Set([m.opId]));
    }
    // A cut upload resumes at the server's offset (HEAD) instead of creating a second resource.
    expect(log.filter((l) => l.method === 'POST' && POSTS.test(l.path))).toHaveLength(6);
  });
});

// Last in this file: it breaks the audit chain of the shared rig for good.
describe('looking ahead never sends what the queue holds back', () => {
  it('a result paused by an altered audit log: none of its attachments leaves, while the earlier one goes', async () => {
    const early = await finalizeWith(r, task(), 2);
    const late = await finalizeWith(r, task(), 2);
    const edited = (await r.dbs.field.results.get(late.resultId))!.auditCheckpoint.count;
    const entry = await r.dbs.field.audit.get(edited);
    await r.dbs.field.audit.put({ ...entry!, detail: { ...entry!.detail, contentHash: '0'.repeat(64) } });
    await r.restart();
    const mark = r.wire.log.length;
    await settle(r);
    expect((await opOf(r, early.opId)).state).toMatch(/^(accepted|published)$/);
    expect((await opOf(r, late.opId)).state).toBe('paused');
    const created = r.wire.log
      .slice(mark)
      .filter((l) => l.method === 'POST' && POSTS.test(l.path))
      .map((l) => Buffer.from(/resultId (\S+?)(,|$)/.exec(l.headers['upload-metadata'] ?? '')?.[1] ?? '', 'base64'));
    expect(created.map(String)).toEqual([early.resultId, early.resultId]);
  }, 60_000);
});
