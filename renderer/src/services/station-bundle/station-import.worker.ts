/**
 * Thread: station import worker (dedicated Web Worker, started from the window by station-bundle.runner.ts).
 *
 * Writes a verified station bundle's credit files off the window thread, as the pull worker writes a
 * downloaded snapshot: its own connection to the cache database, the members prepared by nested
 * feed workers, each written with its cursor. The window keeps the UI (and its progress bar) moving.
 */
import { CacheDb, enterprisesRepo } from '../../db/index.js';
import { importCreditFiles, type CreditImportOutcome } from './station-bundle.credit.js';
import { FromImportWorkerSchema, ToImportWorkerSchema, type FromImportWorker } from './station-import.messages.js';

interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
const controller = new AbortController();

function post(message: FromImportWorker): void {
  scope.postMessage(FromImportWorkerSchema.parse(message));
}

scope.addEventListener('message', (event) => {
  const parsed = ToImportWorkerSchema.safeParse(event.data);
  if (!parsed.success) return;
  const msg = parsed.data;
  if (msg.type === 'cancel') {
    controller.abort();
    return;
  }
  const cache = new CacheDb(msg.cacheName, undefined, msg.cacheKey);
  void importCreditFiles(
    {
      repo: enterprisesRepo(cache),
      seal: { dbName: cache.name, key: msg.cacheKey },
      pageSize: msg.pageSize,
      now: () => new Date(),
      signal: controller.signal,
      onProgress: (written, total) => post({ type: 'progress', written, total }),
    },
    msg.manifest,
    msg.bytes,
  )
    .then(
      (outcome: CreditImportOutcome) => outcome,
      (e: unknown) => ({ failed: e instanceof Error ? e.message : String(e) }),
    )
    .then((outcome) => {
      cache.close();
      msg.cacheKey.key.fill(0);
      post({ type: 'done', outcome });
    });
});
