/**
 * Locking the vault saves the document form drafts still waiting for their debounce: the flush an
 * open form holds runs (and its sealed write commits) before the data key is dropped, so nothing
 * typed in the last moments before a lock is lost; a released hold is not run.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheDb } from '../../renderer/src/db/index.js';
import { createAppServices, type AppServices, type QuestioningDetails } from '../../renderer/src/services/index.js';
import { manualNetwork } from '../../renderer/src/services/network/network.service.js';
import { testAdapter } from '../../renderer/src/testing/builders.js';
import { startPlatform, type StartedPlatform } from '../platform/server.js';

let platform: StartedPlatform;
let dataDir: string;
let app: AppServices;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'draft-lock-'));
  platform = await startPlatform({ dataDir, seed: 12, enterprises: 10, port: 0 });
  app = createAppServices({
    prefix: 'dl-',
    cache: new CacheDb('dl-cache'),
    adapter: testAdapter(platform.url),
    binding: null,
    network: manualNetwork(true),
    now: () => new Date('2026-05-06T02:00:00Z'),
    kdfParams: { N: 2 ** 10, r: 8, p: 1 },
  });
});
afterAll(async () => {
  await app.auth.close();
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const values = { personName: '林堃', qa: [{ q: '你在本单位担任什么职务？', a: '生产副总经理。' }] };

describe('document form drafts at lock', () => {
  it('runs every held flush while the key is still there, and not a released one', async () => {
    const a = platform.logins[0]!;
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    const docs = app.documents;
    // Bound to the unlocked partition's service, as the form's hook binds it: while locking, the
    // app-level services already refuse.
    const saveFormDraft = docs.saveFormDraft;
    const outcomes: string[] = [];
    const save = (name: string) => () =>
      saveFormDraft(`task-${name}`, 'questioning', values as unknown as QuestioningDetails).then(
        () => outcomes.push(`${name}: saved`),
        (e: unknown) => outcomes.push(`${name}: ${(e as Error).name}`),
      );
    docs.holdFormDraft(save('open'));
    const release = docs.holdFormDraft(save('closed'));
    release();
    await app.auth.lock('manual');
    expect(outcomes).toEqual(['open: saved']);
  });
});
