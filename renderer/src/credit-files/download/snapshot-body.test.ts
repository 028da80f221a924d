/**
 * The snapshot body reader: it reads ahead of the store so the link never waits for one slow part,
 * but only so far; a store that lags far behind the link makes it stop reading instead of holding
 * the rest of the file in memory.
 */
import { describe, expect, it } from 'vitest';
import { BodyPump } from './snapshot-body.js';

const CHUNK = 16 * 1024;

/** A body of `total` bytes (byte i = i mod 251) that counts what has been read from it. */
function countingBody(total: number): { body: ReadableStream<Uint8Array>; produced: () => number } {
  let produced = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (produced >= total) return controller.close();
        const n = Math.min(CHUNK, total - produced);
        controller.enqueue(Uint8Array.from({ length: n }, (_, i) => (produced + i) % 251));
        produced += n;
      },
    },
    { highWaterMark: 0 },
  );
  return { body, produced: () => produced };
}

describe('BodyPump', () => {
  it('a slow store: reading stops a bounded distance ahead of what was taken, and every byte comes in order', async () => {
    const ahead = 128 * 1024;
    const part = 32 * 1024;
    const total = 1024 * 1024;
    const { body, produced } = countingBody(total);
    const pump = new BodyPump(body, ahead);
    let taken = 0;
    let peak = 0;
    for (;;) {
      // The store is slow: the body could be read whole many times over meanwhile.
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
      peak = Math.max(peak, produced() - taken);
      const bytes = await pump.take(part);
      if (bytes.byteLength === 0) break;
      for (let i = 0; i < bytes.byteLength; i += 4099) expect(bytes[i]).toBe((taken + i) % 251);
      taken += bytes.byteLength;
    }
    expect(taken).toBe(total);
    expect(pump.failure).toBeNull();
    expect(peak).toBeGreaterThanOrEqual(ahead);
    // Read and not yet taken: the bound, plus the one chunk that crossed it.
    expect(peak).toBeLessThanOrEqual(ahead + CHUNK);
  });

  it('cancel while it waits for room: the reader lets go and nothing more is read', async () => {
    const { body, produced } = countingBody(1024 * 1024);
    const pump = new BodyPump(body, 64 * 1024);
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    const before = produced();
    expect(before).toBeLessThanOrEqual(64 * 1024 + CHUNK);
    await pump.cancel();
    expect(pump.ended).toBe(true);
    expect(produced()).toBe(before);
  });
});
