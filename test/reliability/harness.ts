/**
 * The reliability suite's Node harness: the real simulator in-process (faults on), the renderer's
 * data layer on fake-indexeddb, a counting/fault-injecting `fetch` between them, and helpers to
 * finalize results with photo attachments and to "restart the app" on the same databases.
 */
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { signCheckpoint } from '../../shared/integrity/checkpoint.js';
import { suiteFor } from '../../shared/integrity/suite.js';
import type { Task } from '../../shared/protocol/index.js';
import { passingPayload } from '../platform/testkit.js';
import {
  attachmentsRepo,
  auditRepo,
  openDatabases,
  outboxRepo,
  resultsRepo,
  tasksRepo,
  type Databases,
} from '../../renderer/src/db/index.js';
import { manualNetwork } from '../../renderer/src/services/network/network.service.js';
import { testAdapter, testServices } from '../../renderer/src/testing/builders.js';
import type { CreatedServices } from '../../renderer/src/services/index.js';
import { startPlatform, type StartedPlatform } from '../platform/server.js';

export const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

export interface Wire {
  readonly log: { method: string; path: string; status: number | 'error'; headers: Record<string, string> }[];
  /** Throw a network error for the next request matching (before it reaches the server). */
  failNext(method: string, path: RegExp, times?: number): void;
  /** Called before each request; throw to simulate the app dying at that point. */
  tap: ((method: string, path: string, headers: Record<string, string>) => void) | null;
  readonly fetch: typeof fetch;
}

export function wire(): Wire {
  const rules: { method: string; path: RegExp; left: number }[] = [];
  const w: Wire = {
    log: [],
    failNext(method, path, times = 1) {
      rules.push({ method, path, left: times });
    },
    tap: null,
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const method = (init?.method ?? 'GET').toUpperCase();
      const headers = Object.fromEntries(
        Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]),
      );
      w.tap?.(method, url.pathname, headers);
      const rule = rules.find((r) => r.left > 0 && r.method === method && r.path.test(url.pathname));
      if (rule) {
        rule.left -= 1;
        w.log.push({ method, path: url.pathname, status: 'error', headers });
        throw new TypeError('fetch failed (injected)');
      }
      try {
        const res = await fetch(input, init);
        w.log.push({ method, path: url.pathname, status: res.status, headers });
        return res;
      } catch (e) {
        w.log.push({ method, path: url.pathname, status: 'error', headers });
        throw e;
      }
    },
  };
  return w;
}

export interface Rig {
  readonly platform: StartedPlatform;
  readonly prefix: string;
  dbs: Databases;
  s: CreatedServices;
  readonly wire: Wire;
  readonly tasks: Task[];
  /** Simulated device clock offset (a device clock set wrong must be flagged, not refused). */
  skewMs: number;
  /** Closes the databases and builds a new app on the same IndexedDB (an app restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

let counter = 0;

export async function rig(
  opts: {
    tokenTtlSeconds?: number;
    publishDelayMs?: number;
    /** The URL the app uses for the platform (e.g. a link emulator in front of it); default: the platform's. */
    via?: (platformUrl: string) => Promise<string>;
  } = {},
): Promise<Rig> {
  const { via, ...platformOpts } = opts;
  const dataDir = mkdtempSync(join(tmpdir(), 'reliability-'));
  const platform = await startPlatform({ dataDir, seed: 11, enterprises: 400, port: 0, faults: true, ...platformOpts });
  const appUrl = via ? await via(platform.url) : platform.url;
  counter += 1;
  const prefix = `rel${counter}-${Math.random().toString(36).slice(2, 7)}-`;
  const w = wire();
  const network = manualNetwork(true);
  const r: Rig = {
    platform,
    prefix,
    wire: w,
    tasks: [],
    skewMs: 0,
    dbs: openDatabases(prefix),
    s: null as unknown as CreatedServices,
    async restart() {
      r.s.internals.stop();
      r.dbs.field.close();
      r.dbs.cache.close();
      r.dbs = openDatabases(prefix);
      r.s = make();
      await r.s.auth.current();
    },
    async stop() {
      r.s.internals.stop();
      r.dbs.field.close();
      r.dbs.cache.close();
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const make = () =>
    testServices(
      { ...r.dbs, prefix },
      {
        adapter: testAdapter(appUrl),
        network,
        fetch: w.fetch,
        now: () => new Date(Date.now() + r.skewMs),
        random: () => 0,
      },
    );
  r.s = make();
  const login = platform.logins[0]!;
  const signed = await r.s.auth.signIn(login.certNo, login.password);
  if (!signed.ok) throw new Error(`sign-in failed: ${signed.error.message}`);
  await r.s.sync.start();
  const rows = await tasksRepo(r.dbs.field).list();
  r.tasks.push(...rows.filter((t) => t.mark === null && t.task.status === 'assigned').map((t) => t.task));
  return r;
}

/** Finalizes a result for the task with `photos` attachments of `bytes` each (repositories, one tx). */
/** Hands out the rig's tasks one by one, so each test inspects a task no other test touched. */
export function taskPicker(r: () => Rig): () => Task {
  let next = 0;
  return () => {
    const t = r().tasks[next++];
    if (!t) throw new Error('out of tasks');
    return t;
  };
}

export async function finalizeWith(
  r: Rig,
  task: Task,
  photos = 1,
  bytes = 2048,
  replaces: string | null = null,
): Promise<{ resultId: string; opId: string; attachmentIds: string[] }> {
  const db = r.dbs.field;
  const resultId = `r-${crypto.randomUUID()}`;
  const attachmentIds: string[] = [];
  for (let i = 0; i < photos; i += 1) {
    const data = new Uint8Array(bytes).map((_, j) => (j * 31 + i * 7 + resultId.charCodeAt(3)) % 251);
    const id = `att-${crypto.randomUUID()}`;
    attachmentIds.push(id);
    await attachmentsRepo(db).add({
      id,
      resultId,
      taskId: task.id,
      kind: 'photo',
      mime: 'image/jpeg',
      size: data.length,
      sha256: sha(data),
      blob: new Blob([data]),
      thumbnail: null,
      fileName: `p${i}.jpg`,
      capturedAt: new Date(Date.now() + i).toISOString(),
    });
  }
  const payload = passingPayload(task, resultId, { replaces });
  const contentHash = sha(canonicalJson(payload));
  const audit = await auditRepo(db).prepare({
    at: payload.finishedAt,
    kind: 'result.finalized',
    subjectId: resultId,
    detail: { taskId: task.id, contentHash },
  });
  const opId = `op-${crypto.randomUUID()}`;
  const checkpoint = await r.s.internals.runtime.deviceKey.signNext({
    resultId,
    contentHash,
    count: audit.seq,
    headHash: audit.hash,
  });
  await resultsRepo(db).finalize({
    result: {
      resultId,
      taskId: task.id,
      taskVersion: task.version,
      payload,
      contentHash,
      finalizedAt: new Date(Date.now() + r.skewMs).toISOString(),
    },
    op: { opId, enterpriseName: task.enterprise.name, publicationDeadline: payload.publicationDeadline },
    audit,
    checkpoint,
  });
  return { resultId, opId, attachmentIds };
}

/**
 * Signs a result's checkpoint again with the device key after a test changed the stored result on
 * purpose (to make a body differ under the same key, or to add what the harness left out): only
 * the device key can make such a change pass the device's own signature check.
 */
export async function resign(r: Rig, resultId: string): Promise<void> {
  const rt = r.s.internals.runtime;
  const row = await r.dbs.field.results.get(resultId);
  if (!row) throw new Error(`no result ${resultId}`);
  const key = await rt.deviceKey.ensure();
  const signature = await signCheckpoint(suiteFor(key.suite), key, {
    resultId,
    contentHash: row.contentHash,
    deviceId: await rt.repos.meta.deviceId(),
    deviceSeq: row.deviceSeq,
    count: row.auditCheckpoint.count,
    headHash: row.auditCheckpoint.headHash,
  });
  await r.dbs.field.checkpoints.update(resultId, { signature, deviceSeq: row.deviceSeq, contentHash: row.contentHash });
}

export async function opOf(r: Rig, opId: string) {
  const op = await outboxRepo(r.dbs.field).get(opId);
  if (!op) throw new Error(`op ${opId} missing`);
  return op;
}

/** Drains until nothing is due (ops waiting with a future nextAttemptAt are made due: time "passes"). */
export async function settle(r: Rig, rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    await outboxRepo(r.dbs.field).makeAllDue();
    await r.s.internals.outbox.drain();
    const pending = (await outboxRepo(r.dbs.field).list()).filter(
      (o) => o.state === 'waiting' || o.state === 'uploading',
    );
    if (pending.length === 0) return;
  }
}

export const requests = (r: Rig, method: string, path: RegExp): number =>
  r.wire.log.filter((l) => l.method === method && path.test(l.path)).length;
