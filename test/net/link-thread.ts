/**
 * The link emulator on a worker thread of its own (link-emulator.worker.ts), for benchmarks whose
 * process is busy with other work: the same options and operations, answered asynchronously.
 */
import { Worker } from 'node:worker_threads';
import type { DropRule, LinkCounters, LinkOptions } from './link-emulator.js';

export interface LinkThread {
  readonly url: string;
  readonly port: number;
  counters(): Promise<LinkCounters>;
  setDrop(rule: DropRule | null): Promise<void>;
  close(): Promise<void>;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

export async function startLinkThread(opts: Omit<LinkOptions, 'clock'>): Promise<LinkThread> {
  // The bench runs under tsx, whose loader a worker thread does not inherit: the worker registers
  // it first, then imports the TypeScript entry.
  const entry = new URL('./link-emulator.worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: opts });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const ready = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { type: string; url: string; port: number }) => resolve(m));
  });
  worker.on('message', (m: Reply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.value);
    else w.reject(new Error(`link emulator: ${m.message}`));
  });
  worker.on('error', (e) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  });
  const ask = (msg: { type: string; rule?: DropRule | null }) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id });
    });
  return {
    url: ready.url,
    port: ready.port,
    counters: async () => (await ask({ type: 'counters' })) as LinkCounters,
    setDrop: async (rule) => {
      await ask({ type: 'setDrop', rule });
    },
    close: async () => {
      await ask({ type: 'close' });
      await worker.terminate();
    },
  };
}
