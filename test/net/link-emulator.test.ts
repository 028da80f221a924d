/**
 * The link emulator over real loopback sockets: bytes arrive intact and counted, a drop cuts at
 * exactly the Nth byte (once or every N), and on a virtual clock the link's rate, delay and
 * handshake decide how many bytes have crossed at each instant (byte counts, never wall time).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLinkEmulator, type LinkEmulator, type LinkOptions } from './link-emulator.js';
import { manualClock } from './manual-clock.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Target {
  readonly port: number;
  /** What each connection received, in connection order, once it closed. */
  readonly received: Buffer[];
  close(): Promise<void>;
}

/** A target that sends `reply` on every connection, then ends, and keeps what it is sent. */
async function target(reply: Buffer): Promise<Target> {
  const received: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    const parts: Buffer[] = [];
    s.on('data', (d: Buffer) => parts.push(d));
    s.on('error', () => undefined);
    s.on('end', () => s.end());
    s.on('close', () => received.push(Buffer.concat(parts)));
    s.write(reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    port: address.port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Connects through the emulator, sends `send` (then FIN unless `keepOpen`), and collects the answer. */
function client(
  emu: LinkEmulator,
  send: Buffer,
  keepOpen = false,
): { socket: Socket; got: Buffer[]; done: Promise<Buffer> } {
  const got: Buffer[] = [];
  // Not half-open: like an HTTP client, it closes when the other side ends.
  const socket = connect({ host: '127.0.0.1', port: emu.port, allowHalfOpen: false });
  socket.on('error', () => undefined);
  socket.on('data', (d: Buffer) => got.push(d));
  const done = new Promise<Buffer>((resolve) => socket.on('close', () => resolve(Buffer.concat(got))));
  socket.write(send);
  if (!keepOpen) socket.end();
  return { socket, got, done };
}

/** Waits for I/O on loopback (not a timing assertion: only how long to keep looking). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never happened: ${what}`);
}

const open: { close(): Promise<void> }[] = [];
async function start(opts: LinkOptions): Promise<LinkEmulator> {
  const emu = await startLinkEmulator(opts);
  open.push(emu);
  return emu;
}
afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
});

describe('link emulator', () => {
  it('moves bytes intact both ways and counts them', async () => {
    const down = randomBytes(1_000_000);
    const up = randomBytes(300_000);
    const t = await target(down);
    open.push(t);
    const emu = await start({
      target: { host: '127.0.0.1', port: t.port },
      downBitsPerSecond: 80e6,
      upBitsPerSecond: 40e6,
      rttMs: 10,
    });
    const got = await client(emu, up).done;
    await until(() => t.received.length === 1, 'target saw the connection close');
    expect(sha(got)).toBe(sha(down));
    expect(sha(t.received[0]!)).toBe(sha(up));
    expect(emu.counters()).toEqual({
      down: 1_000_000,
      up: 300_000,
      connections: 1,
      drops: 0,
      downQueued: 0,
      upQueued: 0,
    });
  });

  it('a drop once cuts the connection at exactly the Nth byte; the next connection is whole', async () => {
    const reply = randomBytes(200_000);
    const t = await target(reply);
    open.push(t);
    const emu = await start({ target: `http://127.0.0.1:${t.port}/`, downBitsPerSecond: 50e6, rttMs: 4 });
    emu.setDrop({ direction: 'down', afterBytes: 50_000 });
    const first = await client(emu, Buffer.from('GET'), true).done;
    expect(first.length).toBe(50_000);
    expect(first.equals(reply.subarray(0, 50_000))).toBe(true);
    const second = await client(emu, Buffer.from('GET')).done;
    expect(second.length).toBe(200_000);
    expect(emu.counters()).toMatchObject({ down: 250_000, connections: 2, drops: 1 });
  });

  it('a drop every N upload bytes cuts each connection that carries a boundary, counted from when it was set', async () => {
    const t = await target(Buffer.alloc(0));
    open.push(t);
    const emu = await start({ target: { host: '127.0.0.1', port: t.port }, upBitsPerSecond: 50e6 });
    await client(emu, randomBytes(10_000)).done; // before the rule: not counted towards it
    emu.setDrop({ direction: 'up', afterBytes: 30_000, every: true });
    for (let i = 0; i < 3; i++) await client(emu, randomBytes(100_000), true).done;
    await until(() => t.received.length === 4, 'target saw four connections close');
    expect(t.received.map((b) => b.length)).toEqual([10_000, 30_000, 30_000, 30_000]);
    expect(emu.counters()).toMatchObject({ up: 100_000, drops: 3 });
  });

  it('on a virtual clock: the handshake and delay hold the first bytes, and two connections share the rate', async () => {
    const clock = manualClock();
    const t = await target(randomBytes(2000));
    open.push(t);
    // 1,000 bytes per second down, 100 ms each way, upload unlimited.
    const emu = await start({
      target: { host: '127.0.0.1', port: t.port },
      downBitsPerSecond: 8000,
      rttMs: 200,
      clock,
    });
    const a = client(emu, Buffer.from('ping'), true);
    const b = client(emu, Buffer.from('ping'), true);
    await until(() => emu.counters().downQueued === 4000, 'both answers read into the link');
    // The clients may send only after the handshake's round trip, and their bytes then take 100 ms.
    clock.advanceTo(199);
    expect(emu.counters().upQueued).toBe(0);
    clock.advanceTo(200);
    await until(() => emu.counters().upQueued === 8, 'both pings read into the link');
    clock.advanceTo(299);
    expect(emu.counters().up).toBe(0);
    clock.advanceTo(300);
    expect(emu.counters().up).toBe(8);
    // 4,000 answer bytes queued at 0 on one 1,000 B/s link: never more than the rate allows. Were
    // the rate per connection, both answers would be through at 2,100 ms; on one link only one is.
    for (const at of [1000, 2099, 2100, 3000, 4099]) {
      clock.advanceTo(at);
      expect(emu.counters().down).toBeLessThanOrEqual(at - 100);
    }
    clock.advanceTo(4100);
    expect(emu.counters().down).toBe(4000);
    await until(
      () => a.got.reduce((n, x) => n + x.length, 0) + b.got.reduce((n, x) => n + x.length, 0) === 4000,
      'the clients read both answers',
    );
    a.socket.destroy();
    b.socket.destroy();
  });

  it('refuses a drop rule that cannot be counted', async () => {
    const t = await target(Buffer.alloc(0));
    open.push(t);
    const emu = await start({ target: { host: '127.0.0.1', port: t.port } });
    expect(() => emu.setDrop({ direction: 'down', afterBytes: 0 })).toThrow(/positive integer/);
    expect(() => emu.setDrop({ direction: 'up', afterBytes: 1.5 })).toThrow(/positive integer/);
  });
});
