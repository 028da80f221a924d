/**
 * Runs the credit-file part of a station import: in the station import worker when the runtime has
 * workers (the app: the window only relays progress), in-process otherwise (Node tests). Both write
 * through importCreditFiles and answer the same outcome.
 */
import type { SnapshotManifest } from '../../../../shared/protocol/index.js';
import type { CacheDb, EnterprisesRepo } from '../../db/index.js';
import { importCreditFiles, type CreditImportOutcome } from './station-bundle.credit.js';
import { FromImportWorkerSchema, type ToImportWorker } from './station-import.messages.js';

export interface CreditRunOptions {
  readonly cache: CacheDb;
  /** The window's repository (the in-process path writes through it). */
  readonly repo: EnterprisesRepo;
  readonly pageSize: number;
  readonly now: () => Date;
  readonly useWorker: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress: (written: number, total: number) => void;
}

export function runCreditImport(
  o: CreditRunOptions,
  manifest: SnapshotManifest,
  bytes: Uint8Array,
): Promise<CreditImportOutcome> {
  const key = o.cache.cacheKey;
  if (!o.useWorker || typeof Worker === 'undefined' || !key)
    return importCreditFiles(
      {
        repo: o.repo,
        seal: key ? { dbName: o.cache.name, key } : null,
        pageSize: o.pageSize,
        now: o.now,
        onProgress: o.onProgress,
        ...(o.signal ? { signal: o.signal } : {}),
      },
      manifest,
      bytes,
    );
  const worker = new Worker(new URL('./station-import.worker.ts', import.meta.url), { type: 'module' });
  const send = (m: ToImportWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
  return new Promise<CreditImportOutcome>((resolve, reject) => {
    const finish = (f: () => void) => {
      worker.terminate();
      o.signal?.removeEventListener('abort', cancel);
      f();
    };
    const cancel = () => send({ type: 'cancel' });
    o.signal?.addEventListener('abort', cancel);
    worker.addEventListener('message', (event: MessageEvent<unknown>) => {
      const msg = FromImportWorkerSchema.safeParse(event.data);
      if (!msg.success) return;
      if (msg.data.type === 'progress') o.onProgress(msg.data.written, msg.data.total);
      else {
        const outcome = msg.data.outcome;
        if ('failed' in outcome) finish(() => reject(new Error(`导入企业档案失败：${outcome.failed}`)));
        else finish(() => resolve(outcome));
      }
    });
    worker.addEventListener('error', (e) => finish(() => reject(new Error(`导入线程出错：${e.message}`))));
    // The window's copy of the file goes to the worker (transferred): it is not needed here afterwards.
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
    send(
      {
        type: 'start',
        cacheName: o.cache.name,
        cacheKey: { keyId: key.keyId, key: new Uint8Array(key.key) },
        pageSize: o.pageSize,
        manifest,
        bytes: own as Uint8Array<ArrayBuffer>,
      },
      [own.buffer as ArrayBuffer],
    );
    if (o.signal?.aborted) cancel();
  });
}
