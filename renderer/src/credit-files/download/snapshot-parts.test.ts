/**
 * What the snapshot download holds in memory: on a file of many members only the parts from the
 * first member not yet verified and handed on stay, however long the file; a member in the middle
 * that fails its hash is refetched and the whole-file SHA-256 still comes out right, though the
 * parts before it were let go long before; a download stopped half-way resumes from the stored
 * parts with the right hash.
 */
import { describe, expect, it } from 'vitest';
import type { SnapshotManifest } from '../../../../shared/protocol/index.js';
import type { SnapshotMetaRow, SnapshotRepo } from '../../db/index.js';
import { downloadSnapshot, sha256Hex, type SnapshotFetchOptions, type StoredCheck } from './snapshot-download.js';

const PART = 16 * 1024;
const MEMBERS = 40;

/** A file of `MEMBERS` members of 15-25 KB of pseudo-random bytes, and its manifest. */
async function makeFile(): Promise<{ file: Uint8Array; manifest: SnapshotManifest }> {
  const sizes = Array.from({ length: MEMBERS }, (_, i) => 15_000 + ((i * 7919) % 10_000));
  const file = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  let x = 12345;
  for (let i = 0; i < file.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    file[i] = x >>> 24;
  }
  let offset = 0;
  const members = [];
  for (const [i, bytes] of sizes.entries()) {
    const sha256 = await sha256Hex(file.subarray(offset, offset + bytes));
    members.push({ offset, bytes, sha256, records: 1, cursor: String(i + 1) });
    offset += bytes;
  }
  const manifest: SnapshotManifest = {
    url: 'https://platform.test/snap.bin',
    sha256: await sha256Hex(file),
    bytes: file.length,
    records: MEMBERS,
    coversSeq: MEMBERS,
    cursor: String(MEMBERS),
    encoding: 'gzip',
    layout: 'ndjson',
    createdAt: '2026-01-01T00:00:00Z',
    members,
  };
  return { file, manifest };
}

/** An in-memory SnapshotRepo with the stored-part rules of the real one (no sealing). */
function memoryRepo(): SnapshotRepo & { stored: () => number } {
  let row: SnapshotMetaRow | null = null;
  let parts: { offset: number; bytes: Uint8Array }[] = [];
  return {
    stored: () => parts.reduce((n, p) => n + p.bytes.byteLength, 0),
    current: async () => row,
    begin: async (manifest) => {
      parts = [];
      row = { key: 'current', manifest, received: 0, parts: 0, importing: false, keyId: 'k' };
      return row;
    },
    sealPart: async (_sha, index, bytes) => {
      if (index !== row?.parts) throw new Error(`part index ${index}, expected ${row?.parts}`);
      return bytes.slice();
    },
    append: async (sha256, offset, size, sealed) => {
      if (!row || row.manifest.sha256 !== sha256 || row.received !== offset) throw new Error('append out of order');
      parts.push({ offset, bytes: sealed });
      row = { ...row, received: offset + size, parts: row.parts + 1 };
      return row;
    },
    truncate: async (_sha, offset) => {
      parts = parts.filter((p) => p.offset + p.bytes.byteLength <= offset);
      const received = parts.reduce((n, p) => n + p.bytes.byteLength, 0);
      row = { ...row!, received, parts: parts.length };
      return received;
    },
    openParts: async () => parts.map((p) => p.bytes.slice()),
    eachPart: async (each) => {
      for (const p of parts) each(p.bytes.slice());
    },
    markImporting: async () => undefined,
    discard: async () => {
      row = null;
      parts = [];
    },
  };
}

interface Served {
  readonly ranges: number[];
}

/**
 * Serves `file` with Range and If-Range; `corrupt(at, bytes)` may change what one request sends,
 * and every request may be cut once it reaches file byte `cutAfter` (a link that keeps dropping there).
 */
function server(
  file: Uint8Array,
  etag: string,
  opts: { corrupt?: (from: number, bytes: Uint8Array, request: number) => void; cutAfter?: number } = {},
): { fetch: typeof fetch; served: Served } {
  const served: Served = { ranges: [] };
  const doFetch = async (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const from = Number(/^bytes=(\d+)-/.exec(headers.get('range') ?? '')![1]);
    if (headers.get('if-range') !== etag) throw new Error('If-Range missing');
    const request = served.ranges.push(from) - 1;
    const bytes = file.slice(from);
    opts.corrupt?.(from, bytes, request);
    const cut = opts.cutAfter;
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (cut !== undefined && from + at >= cut) return controller.error(new Error('link dropped'));
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, at + 4096));
        at += 4096;
      },
    });
    return new Response(body, {
      status: 206,
      headers: { etag, 'content-range': `bytes ${from}-${file.length - 1}/${file.length}` },
    });
  };
  return { fetch: doFetch as typeof fetch, served };
}

/** The pull's member check: verify each complete member in order, hand it on, release what is done. */
function memberCheck(manifest: SnapshotManifest, releases: boolean, from = 0): StoredCheck & { verified: number[] } {
  const verified: number[] = Array.from({ length: from }, (_, i) => i);
  const check = async (received: number, read: (s: number, e: number) => Uint8Array, release: (o: number) => void) => {
    for (let i = verified.length; i < manifest.members.length; i = verified.length) {
      const m = manifest.members[i]!;
      if (releases) release(m.offset);
      if (m.offset + m.bytes > received) return null;
      if ((await sha256Hex(read(m.offset, m.offset + m.bytes))) !== m.sha256) return m.offset;
      verified.push(i);
      if (releases && i === manifest.members.length - 1) release(m.offset + m.bytes);
    }
    return null;
  };
  return Object.assign(check, { verified });
}

function options(f: typeof fetch, onHeld: (bytes: number) => void): SnapshotFetchOptions {
  return {
    baseUrl: () => 'https://platform.test',
    tokens: { accessToken: () => 't', refresh: async () => 'rejected' },
    fetch: f,
    partBytes: PART,
    retryDelayMs: 0,
    onHeld,
  };
}

describe('the parts a snapshot download holds', () => {
  it('many members: what is held stays under one member and two parts, not the file', async () => {
    const { file, manifest } = await makeFile();
    const biggest = Math.max(...manifest.members.map((m) => m.bytes));
    let peak = 0;
    const check = memberCheck(manifest, true);
    const { fetch: f } = server(file, `"${manifest.sha256}"`);
    const got = await downloadSnapshot(
      options(f, (b) => (peak = Math.max(peak, b))),
      memoryRepo(),
      manifest,
      () => undefined,
      undefined,
      check,
    );
    expect(got).toEqual({ ok: true });
    expect(check.verified).toEqual(manifest.members.map((_, i) => i));
    // The member not yet complete, the part it starts in shares with the one before, one part stored ahead.
    expect(peak).toBeLessThanOrEqual(biggest + 2 * PART);
    expect(file.length).toBeGreaterThan(10 * (biggest + 2 * PART));

    // The same download with a check that never lets go holds the whole file: the figure is real.
    let kept = 0;
    const hoarder = memberCheck(manifest, false);
    const again = server(file, `"${manifest.sha256}"`);
    const whole = await downloadSnapshot(
      options(again.fetch, (b) => (kept = Math.max(kept, b))),
      memoryRepo(),
      manifest,
      () => undefined,
      undefined,
      hoarder,
    );
    expect(whole).toEqual({ ok: true });
    expect(kept).toBe(file.length);
  });

  it('a member in the middle failing its hash is refetched from its part; the whole-file hash is still right', async () => {
    const { file, manifest } = await makeFile();
    const bad = manifest.members[MEMBERS / 2]!;
    const check = memberCheck(manifest, true);
    const { fetch: f, served } = server(file, `"${manifest.sha256}"`, {
      // The first answer carries one wrong byte inside the middle member.
      corrupt: (from, bytes, request) => {
        if (request === 0) bytes[bad.offset + 100 - from]! ^= 0xff;
      },
    });
    const repo = memoryRepo();
    const got = await downloadSnapshot(
      options(f, () => undefined),
      repo,
      manifest,
      () => undefined,
      undefined,
      check,
    );
    expect(got).toEqual({ ok: true });
    expect(served.ranges).toHaveLength(2);
    // The refetch starts at the member itself (the bytes of its part before it come from memory).
    expect(served.ranges[1]).toBe(bad.offset);
    expect(check.verified).toEqual(manifest.members.map((_, i) => i));
    expect(repo.stored()).toBe(file.length);
  });

  it('a download cut half-way resumes from the stored parts after a restart, with the right hash', async () => {
    const { file, manifest } = await makeFile();
    const repo = memoryRepo();
    const cut = server(file, `"${manifest.sha256}"`, { cutAfter: Math.floor(file.length / 2) });
    const first = await downloadSnapshot(
      options(cut.fetch, () => undefined),
      repo,
      manifest,
      () => undefined,
      undefined,
      memberCheck(manifest, true),
    );
    expect(first).toMatchObject({ ok: false, error: { kind: 'network' } });
    const stored = repo.stored();
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(file.length);

    // The restart: the import resumes after the members an earlier run committed; their stored
    // parts are hashed and let go as they come out of the store, never all held at once.
    const from = manifest.members.findIndex((m) => m.offset + m.bytes > stored) - 2;
    expect(from).toBeGreaterThan(5);
    const check = memberCheck(manifest, true, from);
    const good = server(file, `"${manifest.sha256}"`);
    const biggest = Math.max(...manifest.members.map((m) => m.bytes));
    let peak = 0;
    const second = await downloadSnapshot(
      { ...options(good.fetch, (b) => (peak = Math.max(peak, b))), handedOn: manifest.members[from]!.offset },
      repo,
      manifest,
      () => undefined,
      undefined,
      check,
    );
    expect(second).toEqual({ ok: true });
    expect(good.served.ranges).toEqual([stored]);
    expect(check.verified).toEqual(manifest.members.map((_, i) => i));
    // Three members not yet handed on were stored before the restart, plus what the link brings.
    expect(peak).toBeLessThanOrEqual(3 * biggest + 2 * PART);
    expect(stored).toBeGreaterThan(3 * (3 * biggest + 2 * PART));
  });
});
