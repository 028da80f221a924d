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
