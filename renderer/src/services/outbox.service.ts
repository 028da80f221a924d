/**
 * The outbox as the UI sees it, and the push schedule: drain on demand, on reconnect (every
 * waiting op due immediately) and on a timer; receipts polled until published.
 */
import { attachmentsRepo, metaRepo, outboxRepo, resultsRepo, type OutboxRow } from '../db/index.js';
import { uploadsRepo } from '../db/repos/outbox-uploads.repo.js';
import { createTusUploader } from '../sync/tus-upload.js';
import { createPushEngine, type DrainReport, type PushEngine } from '../sync/push-engine.js';
import type { OutboxEntry, OutboxService } from './api.js';
import type { Runtime } from './runtime.js';

export const DRAIN_INTERVAL_MS = 15_000;
export const RECEIPT_POLL_EVERY = 4;

function toEntry(row: OutboxRow): OutboxEntry {
  return {
    opId: row.opId, resultId: row.resultId, taskId: row.taskId, enterpriseName: row.enterpriseName, state: row.state,
    attempts: row.attempts, lastAttemptAt: row.lastAttemptAt, nextAttemptAt: row.nextAttemptAt === null ? null : new Date(row.nextAttemptAt).toISOString(),
    lastError: row.lastError, advice: row.advice, publicationDeadline: row.publicationDeadline,
  };
}

export interface OutboxController extends OutboxService {
  readonly engine: PushEngine;
  drain(): Promise<DrainReport | null>;
  /** Starts the timer and the reconnect listener; returns a stop function. */
  startBackground(): () => void;
}

export function createOutboxService(rt: Runtime): OutboxController {
  const outbox = outboxRepo(rt.dbs.field);
  const uploader = createTusUploader({
    baseUrl: rt.baseUrl, fetch: rt.deps.fetch ?? ((input, init) => fetch(input, init)), tokens: rt.tokens,
    uploads: uploadsRepo(rt.dbs.field), source: attachmentsRepo(rt.dbs.field), now: () => rt.now().getTime(),
    onProgress: () => rt.emit('outbox'),
  });
  const engine = createPushEngine({
    uploader,
    http: rt.http, outbox, results: resultsRepo(rt.dbs.field), deviceId: () => metaRepo(rt.dbs.field).deviceId(),
    now: () => rt.now().getTime(), ...(rt.deps.random ? { random: rt.deps.random } : {}), locks: rt.deps.locks ?? null,
    onChange: () => rt.emit('outbox'),
  });

  async function drain(): Promise<DrainReport | null> {
    if (!rt.baseUrl() || !rt.tokens.hasTokens()) return null;
    const report = await engine.drain();
    await engine.pollReceipts();
    return report;
  }

  return {
    engine,
    drain,
    async list() {
      return (await outbox.list()).map(toEntry);
    },
    async pushNow() {
      await outbox.makeAllDue();
      await drain();
    },
    subscribe(listener) {
      return rt.on('outbox', listener);
    },
    startBackground() {
      let ticks = 0;
      const timer = setInterval(() => {
        if (!rt.deps.network.online()) return;
        ticks += 1;
        void (ticks % RECEIPT_POLL_EVERY === 0 ? drain() : engine.drain().catch(() => null));
      }, DRAIN_INTERVAL_MS);
      const off = rt.deps.network.subscribe((online) => {
        if (online) void outbox.makeAllDue().then(drain);
      });
      return () => { clearInterval(timer); off(); };
    },
  };
}
