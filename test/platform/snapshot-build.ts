/**
 * Builds the credit-file snapshot: every live record up to the feed head, one upsert line each in
 * sequence order (the very bytes the paged feed would send), gzip-compressed ONCE into a
 * content-addressed file in the data directory. Serving it is then a file read, and the bytes never
 * change under a name, so Range requests across a dropped link or an app restart stay coherent.
 *
 * Consistency without a long read lock: rows are read in batches bounded by the head taken at the
 * start. A record changed during the build moves to a sequence above that head, so it drops out of
 * the snapshot and reaches the client through the delta feed that continues from the head instead.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  SNAPSHOT_PATH,
  SnapshotManifestSchema,
  type SnapshotManifest,
  type SnapshotMember,
} from '../../shared/protocol/index.js';
import { getMeta, setMeta } from './db.js';
import { encodeEntCursor } from './routes/sync.js';
import type { Platform } from './state.js';

const META_KEY = 'snapshot:enterprises';
const BATCH = 10_000;
/** A snapshot older than this is still served, and a new one is built in the background. */
export const SNAPSHOT_MAX_AGE_MS = 24 * 3600 * 1000;
/** gzip level: the file is compressed once, so the slow, small setting is the cheap one overall. */
const GZIP_LEVEL = 9;
/**
 * Lines per gzip member. Each member is a complete gzip stream of its own, so the client can verify
 * and import it while later members still download; concatenated they are still one valid gzip
 * file. A client's cache chunk holds 1,000 records, and a member of good records that size is
 * stored as it came (compressed), so one record read decompresses a few hundred kB, not a page.
 */
export const SNAPSHOT_MEMBER_LINES = 1000;
/** The smallest member the tapering end of the file splits into (see memberPlan). */
const TAIL_MEMBER_LINES = 250;

/**
 * Lines per member for `records` records: full members, then the last full member's worth split in
 * halves down to about TAIL_MEMBER_LINES. The client imports a member as soon as its bytes are in,
 * except that the last one waits for the whole file; what it still has to do after the last byte
 * is then a few hundred records, not a full member.
 */
export function memberPlan(records: number, perMember: number): number[] {
  const plan: number[] = [];
  let rest = records;
  for (; rest > perMember; rest -= perMember) plan.push(perMember);
  for (; rest > 2 * TAIL_MEMBER_LINES; rest -= Math.ceil(rest / 2)) plan.push(Math.ceil(rest / 2));
  if (rest > 0) plan.push(rest);
  return plan;
}
const gzipAsync = promisify(gzip);

/** The simulator keeps snapshots beside the uploads, in its data directory. */
export function snapshotsDir(p: Platform): string {
  return join(dirname(p.uploadsDir), 'snapshots');
}

export function snapshotFile(p: Platform, sha256: string): string {
  return join(snapshotsDir(p), `${sha256}.ndjson.gz`);
}

interface Stored extends SnapshotManifest {
  /** The purge epoch the cursor was issued in: a purge makes a new snapshot necessary. */
  readonly epoch: number;
}

function stored(p: Platform): Stored | null {
  const raw = getMeta(p.db, META_KEY);
  if (raw === null) return null;
  const parsed = JSON.parse(raw) as Stored;
  const m = SnapshotManifestSchema.safeParse(parsed);
  if (!m.success || !existsSync(snapshotFile(p, m.data.sha256))) return null;
  return { ...m.data, epoch: parsed.epoch };
}

/** Every live record up to `head` as its feed line, with its sequence, in sequence order. */
function* lines(p: Platform, head: number): Generator<{ seq: number; line: Buffer }> {
  const stmt = p.db.prepare(
    'SELECT seq, json FROM enterprises WHERE deleted = 0 AND json IS NOT NULL AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
  );
  let after = 0;
  for (;;) {
    const rows = stmt.all(after, head, BATCH) as { seq: number; json: Buffer | string }[];
    if (rows.length === 0) return;
    for (const r of rows)
      yield {
        seq: r.seq,
        line: Buffer.concat([
          Buffer.from(`{"kind":"upsert","seq":${r.seq},"enterprise":`),
          typeof r.json === 'string' ? Buffer.from(r.json) : r.json,
          Buffer.from('}\n'),
        ]),
      };
    after = rows[rows.length - 1]!.seq;
  }
}

const building = new WeakMap<Platform, Promise<SnapshotManifest>>();

/** Builds a new snapshot now (one build at a time per platform) and makes it the current one. */
export function buildSnapshot(p: Platform): Promise<SnapshotManifest> {
  const running = building.get(p);
  if (running) return running;
  const job = build(p).finally(() => building.delete(p));
  building.set(p, job);
  return job;
}

async function build(p: Platform): Promise<SnapshotManifest> {
  const dir = snapshotsDir(p);
  mkdirSync(dir, { recursive: true });
  const head = Number(getMeta(p.db, 'seq:ent') ?? '0');
  const epoch = Number(getMeta(p.db, 'purgeEpoch') ?? '0');
  const tmp = join(dir, `building-${process.pid}-${Date.now()}.tmp`);
  const hash = createHash('sha256');
  const live = p.db
    .prepare('SELECT COUNT(*) AS n FROM enterprises WHERE deleted = 0 AND json IS NOT NULL AND seq <= ?')
    .get(head) as { n: number };
  const plan = memberPlan(live.n, p.snapshotMemberLines ?? SNAPSHOT_MEMBER_LINES);
  const members: SnapshotMember[] = [];
  let bytes = 0;
  let records = 0;
  const out = await open(tmp, 'w');
  try {
    let batch: Buffer[] = [];
    let lastSeq = 0;
    const flush = async () => {
      const gz = await gzipAsync(Buffer.concat(batch), { level: GZIP_LEVEL });
      await out.write(gz);
      hash.update(gz);
      members.push({
        offset: bytes,
        bytes: gz.length,
        sha256: createHash('sha256').update(gz).digest('hex'),
        records: batch.length,
        cursor: encodeEntCursor(epoch, lastSeq),
      });
      bytes += gz.length;
      records += batch.length;
      batch = [];
    };
    for (const { seq, line } of lines(p, head)) {
      batch.push(line);
      lastSeq = seq;
      if (batch.length === (plan[members.length] ?? Infinity)) await flush();
    }
    // An empty scope still gets one (empty) member, so the file is never zero bytes.
    if (batch.length > 0 || members.length === 0) await flush();
  } finally {
    await out.close();
  }
  // The last member ends at the head even when the head's change was no live record.
  members[members.length - 1] = { ...members[members.length - 1]!, cursor: encodeEntCursor(epoch, head) };
  const sha256 = hash.digest('hex');
  renameSync(tmp, snapshotFile(p, sha256));
  const previous = stored(p);
  const manifest: SnapshotManifest = {
    url: `${SNAPSHOT_PATH}/${sha256}`,
    sha256,
    bytes,
    records,
    coversSeq: head,
    cursor: encodeEntCursor(epoch, head),
    encoding: 'gzip',
    layout: 'ndjson',
    createdAt: p.now().toISOString(),
    members,
  };
  setMeta(p.db, META_KEY, JSON.stringify({ ...manifest, epoch }));
  // Content-addressed files never change; the one before stays for clients still downloading it.
  for (const name of readdirSync(dir))
    if (name !== `${sha256}.ndjson.gz` && name !== `${previous?.sha256}.ndjson.gz` && !name.endsWith('.tmp'))
      rmSync(join(dir, name), { force: true });
  return manifest;
}

/**
 * The snapshot to offer now: built on first demand; rebuilt (awaited) when a tombstone purge made
 * its cursor useless, rebuilt in the background once it is older than the schedule allows.
 */
export async function currentSnapshot(p: Platform): Promise<SnapshotManifest> {
  const s = stored(p);
  const epoch = Number(getMeta(p.db, 'purgeEpoch') ?? '0');
  if (!s || s.epoch !== epoch) return buildSnapshot(p);
  if (p.now().getTime() - Date.parse(s.createdAt) > SNAPSHOT_MAX_AGE_MS) void buildSnapshot(p).catch(() => undefined);
  const { epoch: _e, ...manifest } = s;
  return manifest;
}
