/**
 * The byte pump (renderer/src/credit-files/download/byte-pump.ts) against a real HTTP server, with
 * the worker run in-process: responses stream through it whole, a cut connection hands on every
 * byte that arrived before failing, a pump that cannot run leaves the request to the plain fetch,
 * and a slow reader makes the pump stop reading instead of piling the body up in memory.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pumpFetch,
  pumpHandler,
  type FromPump,
  type PumpLike,
  type ToPump,
} from '../../renderer/src/credit-files/download/byte-pump.js';

const FILE = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
/** A body far larger than the pump's window, for the slow reader. */
const BIG = new Uint8Array(2 * 1024 * 1024).map((_, i) => (i * 13) % 253);
/** Bytes the server sends of a request to /cut before it destroys the connection. */
const CUT = 100_000;
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/big') {
      res.writeHead(200, { 'Content-Length': String(BIG.length) });
      res.end(BIG);
      return;
    }
    if (req.url === '/cut') {
      res.writeHead(200, { 'Content-Length': String(FILE.length) });
      res.write(FILE.subarray(0, CUT), () => setTimeout(() => res.socket?.destroy(), 50));
      return;
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    const [from, to] = m ? [Number(m[1]), Number(m[2])] : [0, FILE.length - 1];
    res.writeHead(m ? 206 : 200, {
      'Content-Length': String(to - from + 1),
      ...(m ? { 'Content-Range': `bytes ${from}-${to}/${FILE.length}` } : {}),
    });
    res.end(FILE.subarray(from, to + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The worker run in-process: messages cross asynchronously and in order, as postMessage does. */
class InProcessPump implements PumpLike {
  readonly sent: ToPump[] = [];
  /** Resolves once the pump has said how a body ended (and the message has been delivered). */
  readonly settled: Promise<void>;
  private onSettled!: () => void;
  private readonly messages: ((e: MessageEvent<unknown>) => void)[] = [];
  private readonly errors: ((e: ErrorEvent) => void)[] = [];
  /** Body bytes the pump has posted so far. */
  posted = 0;
  largestChunk = 0;
  private readonly handle: (m: ToPump) => void;
  constructor(
    private readonly broken = false,
    windowBytes?: number,
  ) {
    this.handle = pumpHandler(
      (m: FromPump) => {
        if (m.type === 'chunk') {
          this.posted += m.bytes.byteLength;
          this.largestChunk = Math.max(this.largestChunk, m.bytes.byteLength);
        }
        setTimeout(() => {
          this.messages.forEach((l) => l({ data: m } as MessageEvent<unknown>));
          if (m.type === 'end' || m.type === 'error') this.onSettled();
        });
      },
      undefined,
      windowBytes,
    );
    this.settled = new Promise((resolve) => (this.onSettled = resolve));
  }
  postMessage(m: ToPump): void {
    this.sent.push(m);
    if (this.broken) setTimeout(() => this.errors.forEach((l) => l({ message: 'no worker' } as ErrorEvent)));
    else this.handle(m);
  }
  addEventListener(type: 'message' | 'error', l: ((e: MessageEvent<unknown>) => void) & ((e: ErrorEvent) => void)) {
    (type === 'message' ? this.messages : this.errors).push(l);
  }
  terminate(): void {}
}

async function readAll(res: Response): Promise<{ bytes: number; error: unknown }> {
  const reader = res.body!.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes, error: null };
      bytes += value.byteLength;
    }
  } catch (e) {
    return { bytes, error: e };
  }
}

describe('the byte pump', () => {
  it('streams a Range response from the pump: status, headers and every byte', async () => {
    const pump = new InProcessPump();
    const f = pumpFetch(() => pump);
    const res = await f.fetch(`${base}/file`, { headers: { Range: 'bytes=1000-250999' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 1000-250999/${FILE.length}`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(FILE.subarray(1000, 251_000));
    expect(pump.sent[0]).toMatchObject({ type: 'fetch', headers: [['range', 'bytes=1000-250999']] });
    f.close();
  });

  it('a cut connection: every byte that arrived is handed on, then the body fails', async () => {
    const pump = new InProcessPump();
    const f = pumpFetch(() => pump);
    const res = await f.fetch(`${base}/cut`);
    // Nothing is read until the pump has seen the cut: the bytes before it must still be there.
    await pump.settled;
    const got = await readAll(res);
    expect(got.bytes).toBe(CUT);
    expect(got.error).toBeInstanceOf(TypeError);
    f.close();
  });

  it('a slow reader: the pump stops reading the network while a window of bytes waits to be read', async () => {
    const windowBytes = 128 * 1024;
    const pump = new InProcessPump(false, windowBytes);
    const f = pumpFetch(() => pump);
    const res = await f.fetch(`${base}/big`);
    const reader = res.body!.getReader();
    const got = new Uint8Array(BIG.length);
    let read = 0;
    let peak = 0;
    for (;;) {
      // Slower than loopback by far: without backpressure the whole body would be posted at once.
      await new Promise((resolve) => setTimeout(resolve, 1));
      peak = Math.max(peak, pump.posted - read);
      const { done, value } = await reader.read();
      if (done) break;
      got.set(value, read);
      read += value.byteLength;
    }
    expect(read).toBe(BIG.length);
    expect(Buffer.compare(got, BIG)).toBe(0); // (a byte-wise toEqual of megabytes takes minutes)
    // Posted and not yet read: never more than the window and the one chunk that crossed it.
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(windowBytes + pump.largestChunk);
    expect(pump.sent.filter((m) => m.type === 'ack').length).toBeGreaterThan(0);
    f.close();
  });

  it('a pump that cannot run: the request goes through the plain fetch', async () => {
    const f = pumpFetch(() => new InProcessPump(true));
    const res = await f.fetch(`${base}/file`, { headers: { Range: 'bytes=0-9' } });
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(FILE.subarray(0, 10));
    f.close();
  });

  it('an abort mid-body fails the body and cancels the pump’s request', async () => {
    const pump = new InProcessPump();
    const f = pumpFetch(() => pump);
    const controller = new AbortController();
    const res = await f.fetch(`${base}/cut`, { signal: controller.signal });
    controller.abort();
    const got = await readAll(res);
    expect(got.error).toBeTruthy();
    expect(pump.sent.map((m) => m.type)).toEqual(['fetch', 'cancel']);
    f.close();
  });
});
