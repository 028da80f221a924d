/**
 * The raw floor of the link benches: the same number of bytes moved over the same emulated link
 * (a fresh emulator with the same options) by one plain HTTP request to a sink, with no processing
 * on either side. A download is fetched by the bench page (the same browser network stack the app
 * uses); an upload is one PUT from Node.
 */
import { randomFillSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { startLinkThread } from '../net/link-thread.js';
import type { LinkOptions } from '../net/link-emulator.js';

export type LinkShape = Pick<LinkOptions, 'downBitsPerSecond' | 'upBitsPerSecond' | 'rttMs'>;

async function sink(downloadBytes: number): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  const body = randomFillSync(Buffer.alloc(downloadBytes)); // random: nothing on the way can shrink it
  let received = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (d: Buffer) => (received += d.length));
    req.on('end', () => {
      res.writeHead(200, {
        'Access-Control-Allow-Origin': '*',
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(req.method === 'GET' ? body.length : 0),
      });
      res.end(req.method === 'GET' ? body : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Seconds for the page to fetch `bytes` raw bytes over a link shaped like `shape`. */
export async function rawDownloadSeconds(page: Page, shape: LinkShape, bytes: number): Promise<number> {
  const s = await sink(bytes);
  const link = await startLinkThread({ target: s.url, ...shape });
  try {
    const got = await page.evaluate(async (url) => {
      const t0 = performance.now();
      const res = await fetch(url, { cache: 'no-store' });
      const n = (await res.arrayBuffer()).byteLength;
      return { ms: performance.now() - t0, n };
    }, `${link.url}/raw`);
    if (got.n !== bytes) throw new Error(`raw download: ${got.n} bytes instead of ${bytes}`);
    return got.ms / 1000;
  } finally {
    await link.close();
    await s.close();
  }
}

/** Seconds for Node to PUT `bytes` raw bytes over a link shaped like `shape`. */
export async function rawUploadSeconds(shape: LinkShape, bytes: number): Promise<number> {
  const s = await sink(0);
  const link = await startLinkThread({ target: s.url, ...shape });
  const body = randomFillSync(Buffer.alloc(bytes));
  try {
    const t0 = performance.now();
    const res = await fetch(`${link.url}/raw`, { method: 'PUT', body: new Uint8Array(body) });
    await res.arrayBuffer();
    const seconds = (performance.now() - t0) / 1000;
    if (s.received() !== bytes) throw new Error(`raw upload: the sink got ${s.received()} bytes instead of ${bytes}`);
    return seconds;
  } finally {
    await link.close();
    await s.close();
  }
}
