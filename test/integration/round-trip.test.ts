/**
 * The renderer's data layer against the real platform simulator, in Node with fake-indexeddb:
 * sign in online, pull, unlock offline, finalize a result, push it, and check that the public JSON
 * lists it exactly once, also after a replayed upload.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, PublicResultsResponseSchema } from '../../shared/protocol/index.js';
import { outboxRepo } from '../../renderer/src/db/index.js';
import { manualNetwork } from '../../renderer/src/services/network/network.service.js';
import { disposeDatabases, freshDatabases, testAdapter, testServices } from '../../renderer/src/testing/builders.js';
import { startPlatform, type StartedPlatform } from '../platform/server.js';
import { signDraft } from '../../renderer/src/testing/inspection.testkit.js';

let platform: StartedPlatform;
let dataDir: string;
const dbs = freshDatabases();

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'round-trip-'));
  platform = await startPlatform({ dataDir, seed: 7, enterprises: 150, port: 0 });
});
afterAll(async () => {
  await disposeDatabases(dbs);
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('round trip against the simulator', () => {
  it('signs in, pulls, finalizes offline, pushes once, and the result is public once', async () => {
    const login = platform.logins[0]!;
    const network = manualNetwork(true);
    const s = testServices(dbs, { adapter: testAdapter(platform.url), network, now: () => new Date() });

    const signedIn = await s.auth.signIn(login.certNo, login.password);
    expect(signedIn.ok && signedIn.session.inspector.id).toBe(login.inspectorId);

    await s.sync.start();
    expect(s.sync.progress().phase).toBe('done');
    const list = await s.tasks.list();
    expect(list.length).toBeGreaterThan(0);
    expect(await s.enterprises.count()).toBeGreaterThan(0);
    const summary = list.find((t) => t.taskStatus === 'assigned')!;
    expect(summary.creditClass).not.toBeNull();

    // Offline: a restarted app unlocks from the stored verifier, without the platform.
    network.set(false);
    const offline = testServices(dbs, { adapter: testAdapter('http://127.0.0.1:9'), network });
    expect((await offline.auth.current())?.inspector.id).toBe(login.inspectorId);
    expect((await offline.auth.signIn(login.certNo, 'wrong-password')).ok).toBe(false);

    const draft = await s.inspection.openDraft(summary.id);
    await s.inspection.saveDraft(
      await signDraft(s.inspection, {
        ...draft,
        items: draft.items.map((i) => ({ ...i, outcome: 'pass' })),
        resultCodes: ['NO_PROBLEM'],
        checkMethods: ['ON_SITE'],
        followUps: ['NONE'],
      }),
    );
    const finalized = await s.inspection.finalize(summary.id);
    if (!finalized.ok) throw new Error(JSON.stringify(finalized.problems));
    const resultId = finalized.result.resultId;

    network.set(true);
    await s.outbox.pushNow();
    // The simulator may publish at once (publishDelayMs 0); the receipt poll then already says so.
    expect((await s.outbox.list())[0]).toMatchObject({
      resultId,
      state: expect.stringMatching(/^(accepted|published)$/),
    });

    platform.admin.publishNow();
    await s.outbox.pushNow();
    expect((await s.outbox.list())[0]?.state).toBe('published');
    expect((await s.inspection.resultForTask(summary.id))?.receipt?.contentHash).toBe(finalized.result.contentHash);

    // A lost ack replayed with the same key: still one result and one publication.
    const op = (await outboxRepo(dbs.field).list())[0]!;
    await outboxRepo(dbs.field).update(op.opId, { state: 'waiting' });
    await s.outbox.pushNow();
    expect(platform.admin.counts(resultId)).toEqual({ results: 1, publications: 1 });

    const res = await fetch(new URL(API.publicResults(summary.enterpriseUscc), platform.url));
    const publicJson = PublicResultsResponseSchema.parse(await res.json());
    expect(publicJson.results.filter((r) => r.resultId === resultId)).toHaveLength(1);
  });
});
