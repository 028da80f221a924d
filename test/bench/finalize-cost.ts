/**
 * The share of a full finalize that the integrity work takes, measured inside the finalize the app
 * runs: InspectionService.finalize on a sealed partition (every row AES-GCM sealed, as in the app),
 * with validation, the payload, its content hash, the audit entry, the device key's signature and the
 * one transaction that writes result, outbox op, audit entry, follow-up task and checkpoint.
 *
 * The device key's signNext (Ed25519 over the checkpoint, its device sequence) and the audit chain's
 * prepare (the head read and the entry's SHA-256) are timed in place by wrapping them on the
 * runtime, so each run yields the full finalize time and, inside it, what the signature and the chain
 * cost. Runs in Node (fake-indexeddb) and, bundled, in a Chromium page on an on-disk profile.
 */
import { CacheDb, openPartition, tasksRepo, referenceRepo, type Databases } from '../../renderer/src/db/index.js';
import { makeReference, makeTask, TEST_CACHE_KEY, testServices } from '../../renderer/src/testing/builders.js';
import { filledWithFinding, signDraft } from '../../renderer/src/testing/inspection.testkit.js';
import type { Draft } from '../../renderer/src/services/index.js';

export interface FinalizeCostOptions {
  /** Names this run's databases (each run starts from empty ones). */
  readonly prefix: string;
  /** Finalizes per run (each on its own task). */
  readonly finalizes: number;
  readonly photosPerResult: number;
  readonly photoBytes: number;
}

export interface FinalizeCostRun {
  /** Sum over the run's finalizes of InspectionService.finalize, end to end. */
  readonly finalizeMs: number;
  /** Of that, inside the device key's signNext. */
  readonly signMs: number;
  /** Of that, inside the audit chain's prepare. */
  readonly chainMs: number;
  readonly finalizes: number;
}

/** A complete draft with one finding and its written summary, as an inspector finalizes it. */
function filled(d: Draft): Draft {
  return { ...filledWithFinding(d), findings: '现场检查发现未按时报送年度报告，已责令改正。' };
}

function photo(bytes: number, seed: number): Blob {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(bytes, i + 65536)));
  data[0] = seed & 0xff;
  return new Blob([data], { type: 'image/jpeg' });
}

/** Wraps `obj[name]` so the time spent inside it is added to `spent.ms`. */
function timeInside<T extends object, K extends keyof T>(obj: T, name: K, spent: { ms: number }): void {
  const original = obj[name] as unknown as (...args: unknown[]) => Promise<unknown>;
  const wrapped = async (...args: unknown[]): Promise<unknown> => {
    const t0 = performance.now();
    try {
      return await original.apply(obj, args);
    } finally {
      spent.ms += performance.now() - t0;
    }
  };
  (obj as Record<K, unknown>)[name] = wrapped;
}

export async function finalizeCostRun(o: FinalizeCostOptions): Promise<FinalizeCostRun> {
  // The app's partition: every row sealed under the data key (a fixed one is enough to measure).
  const dataKey = crypto.getRandomValues(new Uint8Array(32));
  const dbs: Databases & { prefix: string } = {
    field: openPartition(`${o.prefix}field`, { current: () => dataKey }),
    cache: new CacheDb(`${o.prefix}cache`, undefined, TEST_CACHE_KEY),
    prefix: o.prefix,
  };
  try {
    const tasks = Array.from({ length: o.finalizes }, (_, i) => makeTask(i + 1));
    await tasksRepo(dbs.field).applyPage(
      tasks.map((task, i) => ({ kind: 'upsert' as const, seq: i + 1, task })),
      String(tasks.length),
      tasks.length,
      'x',
    );
    await referenceRepo(dbs.cache).put(makeReference(), '"e1"', 'x');
    const s = testServices(dbs);
    const rt = s.internals.runtime;
    await rt.deviceKey.ensure(); // made once per device at sign-in, never inside a finalize
    const sign = { ms: 0 };
    const chain = { ms: 0 };
    timeInside(rt.deviceKey, 'signNext', sign);
    timeInside(rt.repos.audit, 'prepare', chain);
    let finalizeMs = 0;
    for (const [n, task] of tasks.entries()) {
      const draft = filled(await s.inspection.openDraft(task.id));
      for (let p = 0; p < o.photosPerResult; p += 1)
        await s.inspection.addEvidence(task.id, photo(o.photoBytes, n * 7 + p), 'photo', `现场${p + 1}.jpg`);
      await s.inspection.saveDraft(await signDraft(s.inspection, draft));
      const t0 = performance.now();
      const r = await s.inspection.finalize(task.id);
      finalizeMs += performance.now() - t0;
      if (!r.ok) throw new Error(`finalize bench: ${JSON.stringify(r.problems)}`);
    }
    s.internals.stop();
    return { finalizeMs, signMs: sign.ms, chainMs: chain.ms, finalizes: tasks.length };
  } finally {
    dbs.field.close();
    dbs.cache.close();
    await dbs.field.delete();
    await dbs.cache.delete();
  }
}
