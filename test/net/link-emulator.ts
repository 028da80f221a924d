/**
 * A weak link on loopback for tests and the bench: a TCP proxy on 127.0.0.1:0 in front of one
 * target. Every connection shares one lane per direction (link-lane.ts), so bandwidth is the
 * link's, not each connection's; each lane adds half the round trip. A new connection may send
 * only after one round trip (the TCP handshake a real link would cost). A drop rule cuts the
 * connection that carries the Nth byte in a direction (once, or every N bytes): the bytes before
 * the boundary arrive, the rest never do, and both sockets are closed.
 *
 * "down" is target → client (a download), "up" is client → target (an upload). The counters say how
 * many bytes each direction delivered, which is what the bench reads as wire bytes.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Lane, MAX_PIECE, realClock, type LaneClock } from './link-lane.js';

export type Direction = 'down' | 'up';

export interface DropRule {
  readonly direction: Direction;
  /** Cut the connection carrying byte number `afterBytes` (counted from when the rule is set). */
  readonly afterBytes: number;
  /** Cut again every `afterBytes` bytes after that. */
  readonly every?: boolean;
}

export interface LinkOptions {
  /** Where the proxy forwards to, e.g. the simulator's URL or `{ host, port }`. */
  readonly target: string | { readonly host: string; readonly port: number };
  /** Download rate in bits per second (omitted = unlimited). */
  readonly downBitsPerSecond?: number;
  /** Upload rate in bits per second (omitted = unlimited). */
  readonly upBitsPerSecond?: number;
  /** Round-trip time; each direction delays every chunk by half of it. */
  readonly rttMs?: number;
  readonly drop?: DropRule;
  readonly clock?: LaneClock;
}

export interface LinkCounters {
  /** Bytes delivered to the clients. */
  down: number;
  /** Bytes delivered to the target. */
  up: number;
  connections: number;
  drops: number;
  /** Bytes read from a sender and still crossing the link (target → client). */
  downQueued: number;
  /** Bytes read from a client and still crossing the link (client → target). */
  upQueued: number;
}

export interface LinkEmulator {
  /** `http://127.0.0.1:<port>`: give this to the client instead of the target's URL. */
  readonly url: string;
  readonly port: number;
  /** A copy of the counters now. */
  counters(): LinkCounters;
  /** Sets (or replaces) the drop rule; its byte count starts now. `null` removes it. */
  setDrop(rule: DropRule | null): void;
  /** Stops listening and destroys every connection. */
  close(): Promise<void>;
}

interface ArmedDrop {
  readonly rule: DropRule;
  /** Accepted-byte count at which the next cut falls. */
  next: number;
}

function parseTarget(t: LinkOptions['target']): { host: string; port: number } {
  if (typeof t !== 'string') return t;
  const u = new URL(t);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return { host: u.hostname, port };
}

export async function startLinkEmulator(opts: LinkOptions): Promise<LinkEmulator> {
  const target = parseTarget(opts.target);
  const rtt = opts.rttMs ?? 0;
  if (!(rtt >= 0)) throw new RangeError(`rttMs must be ≥ 0, got ${rtt}`);
  const clock = opts.clock ?? realClock;
  const lanes: Record<Direction, Lane> = {
    down: new Lane({ bitsPerSecond: opts.downBitsPerSecond ?? null, delayMs: rtt / 2, clock }),
    up: new Lane({ bitsPerSecond: opts.upBitsPerSecond ?? null, delayMs: rtt / 2, clock }),
  };
  // Per connection and direction, how much may be read ahead of delivery: twice the bytes the link
  // holds in one round trip (a TCP window that keeps it full), at least 64 KiB. Beyond it the source
  // is paused, so a fast sender feels the link as it would through TCP flow control.
  const window = (bps: number | undefined) =>
    bps === undefined ? 1 << 20 : Math.max(64 * 1024, Math.ceil(((bps / 8) * Math.max(rtt, 10)) / 1000) * 2);
  const windows: Record<Direction, number> = {
    down: window(opts.downBitsPerSecond),
    up: window(opts.upBitsPerSecond),
  };
  const counters = { down: 0, up: 0, connections: 0, drops: 0 };
  const accepted: Record<Direction, number> = { down: 0, up: 0 };
  const drops: Partial<Record<Direction, ArmedDrop>> = {};
  const sockets = new Set<Socket>();

  const setDrop = (rule: DropRule | null): void => {
    delete drops.down;
    delete drops.up;
    if (!rule) return;
    if (!Number.isInteger(rule.afterBytes) || rule.afterBytes < 1)
      throw new RangeError(`drop afterBytes must be a positive integer, got ${rule.afterBytes}`);
    drops[rule.direction] = { rule, next: accepted[rule.direction] + rule.afterBytes };
  };
  setDrop(opts.drop ?? null);

  const server: Server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    counters.connections += 1;
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    sockets.add(client).add(upstream);
    let dead = false;
    /** A cut is on its way through the lane: nothing more is read or sent on this connection. */
    let doomed = false;
    const kill = (): void => {
      if (dead) return;
      dead = true;
      client.destroy();
      upstream.destroy();
    };
    const cut = (): void => {
      if (dead) return;
      dead = true;
      counters.drops += 1;
      // FIN after the bytes already written, then gone: the client reads every byte before the
      // boundary and then a connection that ended in the middle of its answer.
      client.destroySoon();
      upstream.destroy();
    };
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      s.on('error', kill);
      s.on('close', () => {
        sockets.delete(s);
        if (!dead && s.destroyed && (s.errored || !s.readableEnded)) kill();
      });
    }
    const pipe = (dir: Direction, from: Socket, to: Socket): void => {
      let inFlight = 0;
      let paused = false;
      const lane = lanes[dir];
      const resumeIfRoom = () => {
        if (paused && !dead && inFlight <= windows[dir] / 2 && !to.writableNeedDrain) {
          paused = false;
          from.resume();
        }
      };
      to.on('drain', resumeIfRoom);
      const send = (chunk: Buffer, thenCut: boolean) => {
        inFlight += chunk.length;
        lane.push(chunk.length, () => {
          inFlight -= chunk.length;
          if (dead) return;
          to.write(chunk);
          counters[dir] += chunk.length;
          if (thenCut) cut();
          else resumeIfRoom();
        });
      };
      from.on('data', (data: Buffer) => {
        if (dead || doomed) return;
        for (let off = 0; off < data.length; off += MAX_PIECE) {
          let piece = data.subarray(off, Math.min(data.length, off + MAX_PIECE));
          const armed = drops[dir];
          const room = armed ? armed.next - accepted[dir] : Infinity;
          if (piece.length >= room) {
            // This connection carries the boundary byte: send up to it, cut, take nothing more.
            piece = piece.subarray(0, room);
            accepted[dir] += piece.length;
            if (armed!.rule.every) armed!.next += armed!.rule.afterBytes;
            else delete drops[dir];
            doomed = true;
            from.pause();
            send(Buffer.from(piece), true);
            return;
          }
          accepted[dir] += piece.length;
          send(Buffer.from(piece), false);
        }
        if (inFlight > windows[dir] && !paused) {
          paused = true;
          from.pause();
        }
      });
      from.on('end', () => lane.push(0, () => !dead && to.end()));
    };
    pipe('up', client, upstream);
    pipe('down', upstream, client);
    // The handshake: the client's first bytes leave one round trip after it connected.
    clock.setTimer(() => !dead && client.resume(), rtt);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('link emulator: no TCP address');
  const port = address.port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counters: () => ({ ...counters, downQueued: lanes.down.pending, upQueued: lanes.up.pending }),
    setDrop,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        lanes.down.close();
        lanes.up.close();
        server.close(() => resolve());
      }),
  };
}
