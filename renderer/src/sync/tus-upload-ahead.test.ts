/**
 * The uploader's slots between the result being sent and the results looked ahead to: its own turn
 * goes first, moves its queued look-ahead uploads forward, never waits for a slot for what is stored
 * already, and look-ahead uploads still waiting when the drain ends are dropped.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { uploadsRepo, type Databases } from '../db/index.js';
import { disposeDatabases, freshDatabases, makePhotoAttachment } from '../testing/builders.js';
import { createTusUploader } from './tus-upload.js';

let dbs: Databases | null = null;
afterEach(async () => {
  if (dbs) await disposeDatabases(dbs);
  dbs = null;
});

const attachmentOf = (resultId: string) => makePhotoAttachment(resultId);

/** Lets pending callbacks and the fake database's timers run a few times over. */
const turns = async (n = 20) => {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
};

/**
 * One upload slot and a platform offering creation-with-upload: each attachment is one POST. The
 * POSTs of the results in `hold` wait until released.
 */
function rig(hold: readonly string[] = [], slowRead: Promise<void> | null = null) {
  dbs = freshDatabases();
  const posted: string[] = [];
  const release = new Map<string, () => void>();
  const held = new Map(hold.map((id) => [id, new Promise<void>((resolve) => release.set(id, resolve))]));
  const doFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
    if (init?.method === 'OPTIONS')
      return new Response(null, { status: 204, headers: { 'tus-extension': 'creation,creation-with-upload' } });
    const meta = new Headers(init?.headers).get('upload-metadata') ?? '';
    const resultId = atob(/resultId (\S+?)(,|$)/.exec(meta)?.[1] ?? '');
    posted.push(resultId);
    await held.get(resultId);
    return new Response(null, {
      status: 201,
      headers: { location: `http://platform.invalid/api/v1/uploads/u-${resultId}`, 'upload-offset': '3' },
    });
  }) as typeof fetch;
  const u = createTusUploader({
    baseUrl: () => 'http://platform.invalid/api',
    fetch: doFetch,
    tokens: null,
    uploads: uploadsRepo(dbs.field),
    source: {
      forResult: async (resultId) => {
        if (resultId === 'r-1' && slowRead) await slowRead;
        return [attachmentOf(resultId)];
      },
    },
    now: () => Date.now(),
    parallel: 1,
  });
  return { u, posted, release: (id: string) => release.get(id)!() };
}

describe('uploads of the result being sent and of the results after it', () => {
  it('the result being sent takes the freed slot before look-ahead uploads queued earlier', async () => {
    const { u, posted, release } = rig(['r-2']);
    const ahead = [u.prepare('r-2', { ahead: true }), u.prepare('r-3', { ahead: true })];
    await turns();
    const own = u.prepare('r-1');
    await turns();
    release('r-2');
    expect((await own).ok).toBe(true);
    await Promise.all(ahead);
    expect(posted).toEqual(['r-2', 'r-1', 'r-3']);
  });

  it("a result's own turn moves its queued look-ahead upload ahead of the others", async () => {
    const { u, posted, release } = rig(['r-2']);
    const ahead = ['r-2', 'r-3', 'r-4'].map((id) => u.prepare(id, { ahead: true }));
    await turns();
    const own = u.prepare('r-4');
    await turns();
    release('r-2');
    expect((await own).ok).toBe(true);
    await Promise.all(ahead);
    expect(posted).toEqual(['r-2', 'r-4', 'r-3']);
  });

  it('its own turn queues first even when its database reads finish after those of the look-ahead', async () => {
    let readDone = (): void => undefined;
    const slowRead = new Promise<void>((resolve) => (readDone = resolve));
    const { u, posted } = rig([], slowRead);
    const own = u.prepare('r-1');
    const ahead = [u.prepare('r-2', { ahead: true }), u.prepare('r-3', { ahead: true })];
    await turns();
    readDone();
    expect((await own).ok).toBe(true);
    await Promise.all(ahead);
    expect(posted).toEqual(['r-1', 'r-2', 'r-3']);
  });

  it('an attachment stored already never waits for a slot held by a look-ahead upload', async () => {
    const { u, posted, release } = rig(['r-2']);
    expect((await u.prepare('r-1')).ok).toBe(true);
    const ahead = u.prepare('r-2', { ahead: true });
    await turns();
    const order: string[] = [];
    // Only a broken uploader needs this: it lets the held upload go so the test ends instead of hanging.
    const rescue = setTimeout(() => {
      order.push('released');
      release('r-2');
    }, 3000);
    const again = await u.prepare('r-1');
    order.push('prepared');
    clearTimeout(rescue);
    release('r-2');
    await ahead;
    expect(again).toMatchObject({ ok: true, refs: [{ id: 'att-r-1', uploadUrl: expect.stringContaining('u-r-1') }] });
    expect(order).toEqual(['prepared']);
    expect(posted).toEqual(['r-1', 'r-2']);
  });

  it('look-ahead uploads still waiting when the drain ends are dropped; their own turn sends them', async () => {
    const { u, posted, release } = rig(['r-2']);
    const stopped = new AbortController();
    const first = u.prepare('r-2', { ahead: true, signal: stopped.signal });
    const second = u.prepare('r-3', { ahead: true, signal: stopped.signal });
    await turns();
    stopped.abort();
    release('r-2');
    expect((await first).ok).toBe(true); // it had started: it finishes
    expect(await second).toMatchObject({ ok: false, error: { kind: 'network' } });
    expect(posted).toEqual(['r-2']);
    expect((await u.prepare('r-3')).ok).toBe(true);
    expect(posted).toEqual(['r-2', 'r-3']);
  });
});
