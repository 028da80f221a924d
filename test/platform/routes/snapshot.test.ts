/**
 * The snapshot as a protocol: the manifest names a content-addressed gzip file whose bytes hash to
 * its sha256 and decompress to exactly the feed's upsert lines up to `coversSeq`; the file answers
 * single byte ranges with 206 + Content-Range, a range past the end with 416, a stale If-Range with
 * the whole file, and is never re-encoded on the wire; the delta feed continues from its cursor.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotManifestSchema, type SnapshotManifest } from '../../../shared/protocol/index.js';
import { authed, login, sha256Hex, startTemp, type Harness } from '../testkit.js';
import { parseRange } from './snapshot.js';
import { memberPlan } from '../snapshot-build.js';

let h: Harness;
let call: ReturnType<typeof authed>;
let manifest: SnapshotManifest;
let file: Buffer;

beforeAll(async () => {
  h = await startTemp({ seed: 7, enterprises: 600, invalidRecords: 2, faults: true, snapshotMemberLines: 250 });
  call = authed(h.platform.url, (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken);
  const res = await call('/v1/sync/enterprises/snapshot');
  expect(res.status).toBe(200);
  manifest = SnapshotManifestSchema.parse(await res.json());
  file = Buffer.from(await (await call(manifest.url, { headers: { 'accept-encoding': 'gzip' } })).arrayBuffer());
});
afterAll(() => h.stop());

async function feedLines(): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  for (;;) {
    const res = await call(`/v1/sync/enterprises?cursor=${cursor}&limit=5000`, {
      headers: { accept: 'application/x-ndjson' },
    });
    const [head, ...rest] = (await res.text()).split('\n');
    const header = JSON.parse(head!) as { nextCursor: string; hasMore: boolean };
    out.push(...rest.filter((l) => l.length > 0));
    if (!header.hasMore) return out;
    cursor = header.nextCursor;
  }
}

describe('credit-file snapshot protocol', () => {
  it('the manifest names a file whose bytes hash to its sha256 and hold the feed lines up to coversSeq', async () => {
    expect(file.length).toBe(manifest.bytes);
    expect(sha256Hex(file)).toBe(manifest.sha256);
    const lines = gunzipSync(file).toString('utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(manifest.records);
    expect(lines).toEqual(await feedLines()); // no tombstones yet: the feed from 0 is every live record
    expect(manifest.records).toBe(602);
    expect(manifest.coversSeq).toBe((JSON.parse(lines.at(-1)!) as { seq: number }).seq);
    expect(manifest.cursor).toBe(String(manifest.coversSeq));
  });

  it('the file is a run of gzip members, each with its own hash, records and cursor, as the manifest lists', () => {
    expect(manifest.members.map((m) => m.records)).toEqual([250, 250, 102]);
    const lines = gunzipSync(file).toString('utf8').split('\n').filter(Boolean);
    let line = 0;
    for (const m of manifest.members) {
      const bytes = file.subarray(m.offset, m.offset + m.bytes);
      expect(sha256Hex(bytes)).toBe(m.sha256);
      const own = gunzipSync(bytes).toString('utf8').split('\n').filter(Boolean);
      expect(own).toEqual(lines.slice(line, line + m.records));
      line += m.records;
      expect(m.cursor).toBe(String((JSON.parse(own.at(-1)!) as { seq: number }).seq));
    }
    // A manifest whose members do not tile the file is refused whole.
    const gap = {
      ...manifest,
      members: manifest.members.map((m, i) => (i === 1 ? { ...m, offset: m.offset + 1 } : m)),
    };
    expect(SnapshotManifestSchema.safeParse(gap).success).toBe(false);
    const short = { ...manifest, members: manifest.members.slice(0, -1) };
    expect(SnapshotManifestSchema.safeParse(short).success).toBe(false);
  });

  it('members taper at the end of the file, so the import left after the last byte is small', () => {
    expect(memberPlan(50_000, 5000)).toEqual([...Array<number>(9).fill(5000), 2500, 1250, 625, 313, 312]);
    expect(memberPlan(5001, 5000)).toEqual([5000, 1]);
    expect(memberPlan(600, 250)).toEqual([250, 250, 100]); // members this small do not taper
    expect(memberPlan(0, 5000)).toEqual([]);
    // The served file follows the plan (its two invalid records are lines too).
    expect(manifest.members.map((m) => m.records)).toEqual(memberPlan(602, 250));
  });

  it('serves the stored bytes untouched: no Content-Encoding, strong ETag, Accept-Ranges', async () => {
    const res = await call(manifest.url, { method: 'HEAD', headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('etag')).toBe(`"${manifest.sha256}"`);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-length')).toBe(String(manifest.bytes));
  });

  it('answers a byte range with 206 and exactly those bytes; an open range runs to the end', async () => {
    const a = await call(manifest.url, { headers: { range: 'bytes=100-1099' } });
    expect(a.status).toBe(206);
    expect(a.headers.get('content-range')).toBe(`bytes 100-1099/${manifest.bytes}`);
    expect(Buffer.from(await a.arrayBuffer())).toEqual(file.subarray(100, 1100));
    const b = await call(manifest.url, { headers: { range: `bytes=${manifest.bytes - 10}-` } });
    expect(b.status).toBe(206);
    expect(Buffer.from(await b.arrayBuffer())).toEqual(file.subarray(manifest.bytes - 10));
    const c = await call(manifest.url, { headers: { range: `bytes=10-${manifest.bytes + 500}` } });
    expect(c.headers.get('content-range')).toBe(`bytes 10-${manifest.bytes - 1}/${manifest.bytes}`);
  });

  it('416 with the size for a range past the end; If-Range naming another version gets the whole file', async () => {
    const past = await call(manifest.url, { headers: { range: `bytes=${manifest.bytes}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${manifest.bytes}`);
    const same = await call(manifest.url, { headers: { range: 'bytes=5-9', 'if-range': `"${manifest.sha256}"` } });
    expect(same.status).toBe(206);
    const other = await call(manifest.url, { headers: { range: 'bytes=5-9', 'if-range': `"${'0'.repeat(64)}"` } });
    expect(other.status).toBe(200);
    expect(Buffer.from(await other.arrayBuffer())).toEqual(file);
  });

  it('parses only single byte ranges', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=0-1,5-9', 100)).toBeNull();
    expect(parseRange('items=0-9', 100)).toBeNull();
    expect(parseRange('bytes=9-0', 100)).toBeNull();
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
  });

  it('needs a token; an unknown or malformed file name is 404', async () => {
    expect((await fetch(`${h.platform.url}${manifest.url}`)).status).toBe(401);
    expect((await fetch(`${h.platform.url}/v1/sync/enterprises/snapshot`)).status).toBe(401);
    expect((await call(`/v1/sync/enterprises/snapshot/${'a'.repeat(64)}`)).status).toBe(404);
    expect((await call('/v1/sync/enterprises/snapshot/..%2Fplatform.sqlite')).status).toBe(404);
  });

  it('the delta feed continues from the cursor; a tombstone purge builds a new snapshot', async () => {
    const changed = h.platform.admin.mutateEnterprises(3);
    const res = await call(`/v1/sync/enterprises?cursor=${manifest.cursor}&limit=100`);
    const page = (await res.json()) as { changes: { enterprise: { uscc: string } }[] };
    expect(page.changes.map((c) => c.enterprise.uscc).sort()).toEqual([...changed].sort());
    h.platform.admin.removeEnterprises(2);
    h.platform.admin.advanceTombstoneHorizon();
    const next = SnapshotManifestSchema.parse(await (await call('/v1/sync/enterprises/snapshot')).json());
    expect(next.sha256).not.toBe(manifest.sha256);
    expect(next.records).toBe(600);
    expect(next.cursor.length).toBeGreaterThan(12); // issued in the new purge epoch
    const files = readdirSync(join(h.dataDir, 'snapshots'));
    expect(files).toContain(`${next.sha256}.ndjson.gz`);
    expect(readFileSync(join(h.dataDir, 'snapshots', `${next.sha256}.ndjson.gz`)).length).toBe(next.bytes);
  });
});
