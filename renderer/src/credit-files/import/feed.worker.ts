/**
 * Thread: feed worker (two nested Web Workers, started by the pull worker through feed-pool.ts).
 *
 * A feed worker: downloads one credit-file page at a time for the pull worker, and decodes,
 * parses and validates it as it streams (enterprise-feed.ts), in parallel with the other feed
 * worker and with the pull worker's IndexedDB writes. It holds no database and no refresh token:
 * a 401 goes back to the pull worker, which refreshes and asks again.
 */
import { ndjsonPageAttempt } from '../download/enterprise-feed.js';
import { prepareMember } from './snapshot-import.js';
import { collectingSink } from '../timing-sink.js';
import {
  ToFeedWorkerSchema,
  toWire,
  type FeedTimings,
  type FromFeedWorker,
  type ToFeedWorker,
} from './feed-messages.js';

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
const running = new Map<number, AbortController>();
/** This worker's phase times, reported with every answer: the pool adds them to the pull's sink. */
const sink = collectingSink();

function soFar(): FeedTimings {
  const timings = sink.totals;
  return {
    responseMs: timings.responseMs,
    bodyMs: timings.bodyMs,
    parseMs: timings.parseMs,
    validateMs: timings.validateMs,
    sealMs: timings.sealMs,
    bytes: timings.bytes,
  };
}

function post(message: FromFeedWorker, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

async function fetchPage(msg: {
  id: number;
  baseUrl: string;
  token: string | null;
  cursor: string;
  limit: number;
  at: string;
  seal?: { dbName: string; keyId: string; key: Uint8Array; chunkBase: number } | null | undefined;
}): Promise<void> {
  const controller = new AbortController();
  running.set(msg.id, controller);
  try {
    const attempt = ndjsonPageAttempt({
      baseUrl: () => msg.baseUrl,
      tokens: { accessToken: () => msg.token, refresh: async () => 'rejected' },
      seal: msg.seal ? { dbName: msg.seal.dbName, key: { keyId: msg.seal.keyId, key: msg.seal.key } } : null,
      timings: sink,
    });
    const result = await attempt(
      msg.cursor,
      msg.limit,
      controller.signal,
      (header) => post({ type: 'header', id: msg.id, header }),
      msg.at,
      msg.seal?.chunkBase,
    );
    if (result === 'unauthorized') post({ type: 'unauthorized', id: msg.id, timings: soFar() });
    else if (!result.ok) post({ type: 'failed', id: msg.id, error: result.error, timings: soFar() });
    else {
      const { wire, transfer } = toWire(result.page);
      post({ type: 'page', id: msg.id, page: wire, timings: soFar() }, transfer);
    }
  } catch (e) {
    post({
      type: 'failed',
      id: msg.id,
      error: { kind: 'network', message: `解析线程出错：${e instanceof Error ? e.message : String(e)}` },
      timings: soFar(),
    });
  } finally {
    running.delete(msg.id);
  }
}

/**
 * A member of a snapshot, verified against its hash by the pull worker: gunzipped, validated and
 * sealed here, exactly as a fetched page would be.
 */
async function preparePage(msg: Extract<ToFeedWorker, { type: 'prepare' }>): Promise<void> {
  try {
    const seal = msg.seal ? { dbName: msg.seal.dbName, key: { keyId: msg.seal.keyId, key: msg.seal.key } } : null;
    const page = await prepareMember(
      msg.lines,
      msg.header,
      msg.at,
      seal,
      msg.seal?.chunkBase ?? 0,
      msg.limit,
      msg.gzip ?? false,
      sink,
    );
    const { wire, transfer } = toWire(page);
    post({ type: 'page', id: msg.id, page: wire, timings: soFar() }, transfer);
  } catch (e) {
    post({
      type: 'failed',
      id: msg.id,
      error: { kind: 'network', message: `解析线程出错：${e instanceof Error ? e.message : String(e)}` },
      timings: soFar(),
    });
  }
}

scope.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = ToFeedWorkerSchema.safeParse(event.data);
  if (!parsed.success) return;
  const msg = parsed.data;
  if (msg.type === 'fetch') void fetchPage(msg);
  else if (msg.type === 'prepare') void preparePage(msg);
  else running.get(msg.id)?.abort();
});
