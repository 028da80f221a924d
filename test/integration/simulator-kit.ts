/**
 * What the integration tests against the simulator share: a simulator on a temp dir with one laptop
 * signed in and synced (fake-indexeddb), and a passing inspection finalized on a task.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { manualNetwork } from '../../renderer/src/services/network/network.service.js';
import { disposeDatabases, freshDatabases, testAdapter, testServices } from '../../renderer/src/testing/builders.js';
import { signDraft } from '../../renderer/src/testing/inspection.testkit.js';
import { startPlatform, type PlatformOptions, type StartedPlatform } from '../platform/server.js';

export type Services = ReturnType<typeof testServices>;

export interface SignedInLaptop {
  readonly platform: StartedPlatform;
  readonly s: Services;
  readonly dbs: ReturnType<typeof freshDatabases>;
  /** Ids of the inspector's assigned tasks, after the first sync. */
  readonly tasks: string[];
  /** Closes the databases, stops the simulator and removes its directory. */
  dispose(): Promise<void>;
}

export async function signedInLaptop(options: {
  readonly dirPrefix: string;
  readonly minTasks: number;
  readonly platform?: Partial<PlatformOptions>;
  readonly fetch?: typeof fetch;
}): Promise<SignedInLaptop> {
  const dataDir = mkdtempSync(join(tmpdir(), options.dirPrefix));
  const platform = await startPlatform({ dataDir, seed: 7, enterprises: 150, port: 0, ...options.platform });
  const dbs = freshDatabases();
  const dispose = async (): Promise<void> => {
    await disposeDatabases(dbs);
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const login = platform.logins[0]!;
  const s = testServices(dbs, {
    adapter: testAdapter(platform.url),
    network: manualNetwork(true),
    now: () => new Date(),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  expect((await s.auth.signIn(login.certNo, login.password)).ok).toBe(true);
  await s.sync.start();
  const tasks = (await s.tasks.list()).filter((t) => t.taskStatus === 'assigned').map((t) => t.id);
  expect(tasks.length).toBeGreaterThanOrEqual(options.minTasks);
  return { platform, s, dbs, tasks, dispose };
}

/** Every item passes, signed, finalized: the result id. */
export async function finalizePassing(s: Pick<Services, 'inspection'>, taskId: string): Promise<string> {
  const draft = await s.inspection.openDraft(taskId);
  await s.inspection.saveDraft(
    await signDraft(s.inspection, {
      ...draft,
      items: draft.items.map((i) => ({ ...i, outcome: 'pass' })),
      resultCodes: ['NO_PROBLEM'],
      checkMethods: ['ON_SITE'],
      followUps: ['NONE'],
    }),
  );
  const r = await s.inspection.finalize(taskId);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.result.resultId;
}
