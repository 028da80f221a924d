/**
 * A fast harness for the search index at city scale, in Node (seconds, not the scale1m bench's
 * minutes): builds the index over generated credit-file summaries (the simulator's generator, the
 * same data the bench syncs) and times the bench's query mix, printing p50/p95 per query kind.
 * `npx tsx test/bench/search-harness.ts [count]`; the summaries are cached in the temp directory.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateUsccs, makeEnterprise } from '../platform/gen/enterprises.js';
import { createRng } from '../platform/gen/prng.js';
import { EnterpriseSearchIndex } from '../../renderer/src/credit-files/search/search-index.js';
import { KeyCollector } from '../../renderer/src/credit-files/search/postings.js';
import { decodeIndexImage, encodeIndexImage } from '../../renderer/src/credit-files/search/index-image.js';
import { CODE_COLUMNS, summaryOf } from '../../renderer/src/credit-files/summary-columns.js';
import type { EntDirRow, EntSearchRow } from '../../renderer/src/db/index.js';
import type { SearchFilters } from '../../renderer/src/credit-files/search/types.js';
import { SegmentedIndex, type Searchable } from '../../renderer/src/credit-files/search/segmented-index.js';

const COUNT = Number(process.argv[2] ?? '1000000');
const CHUNK = 1000;

interface Row {
  u: string;
  n: string;
  r: string;
  a: string;
  g: string;
  c: string;
  w: string;
  s: string;
}

function generate(): Row[] {
  const file = join(tmpdir(), `search-harness-${COUNT}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Row[];
  const usccs = generateUsccs(1, COUNT + 3);
  const rng = createRng('1:enterprises');
  const out: Row[] = [];
  for (let i = 0; i < COUNT; i++) {
    const e = makeEnterprise(rng, '2026-05-01', usccs[i]!);
    out.push({
      u: e.uscc,
      n: e.name,
      r: e.legalRep,
      a: e.address,
      g: e.region,
      c: e.internal.creditClass,
      w: e.internal.warningColor ?? '',
      s: e.status,
    });
  }
  writeFileSync(file, JSON.stringify(out));
  return out;
}

function toChunks(rows: Row[]): { chunk: EntSearchRow; dir: EntDirRow }[] {
  const out: { chunk: EntSearchRow; dir: EntDirRow }[] = [];
  for (let s = 0, id = 1; s < rows.length; s += CHUNK, id++) {
    const part = rows.slice(s, s + CHUNK);
    const code = (k: 'classes' | 'colors' | 'statuses', v: (r: Row) => string) => {
      const col = CODE_COLUMNS.find((c) => c.search === k)!;
      return part.map((r) => col.code(v(r))).join('');
    };
    const chunk: EntSearchRow = {
      id,
      generation: 1,
      usccs: part.map((r) => r.u),
      names: part.map((r) => r.n),
      legalReps: part.map((r) => r.r),
      addresses: part.map((r) => r.a),
      regions: part.map((r) => r.g),
      classes: code('classes', (r) => r.c),
      colors: code('colors', (r) => r.w),
      statuses: code('statuses', (r) => r.s),
    };
    out.push({
      chunk,
      dir: { id, generation: 1, size: part.length, usccs: chunk.usccs, versions: part.map(() => 1) },
    });
  }
  return out;
}

/** The bench's query mix (scale1m.bench.ts makeQueries), over the same rows. */
function queries(rows: Row[]): { kind: string; q: string; filters: SearchFilters }[] {
  const step = Math.max(2, Math.floor(COUNT / 200) - 3);
  const picked = rows.filter((_, i) => (i + 1) % step === 1).slice(0, 200);
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  return picked.map((r, i) => {
    const k = i % 20;
    if (k < 14) {
      const len = 2 + rnd(2);
      const from = 3 + rnd(Math.max(1, r.n.length - 3 - len));
      return { kind: 'name', q: r.n.slice(from, from + len), filters: {} };
    }
    if (k < 16) return { kind: 'uscc', q: r.u.slice(0, 8 + rnd(6)), filters: {} };
    if (k < 17) return { kind: 'rep', q: r.r, filters: {} };
    if (k < 18) return { kind: 'addr', q: r.a.slice(9, 13), filters: {} };
    if (k < 19) return { kind: 'name+class', q: r.n.slice(5, 7), filters: { creditClasses: ['C', 'D', 'E'] } };
    return { kind: 'filter', q: '', filters: { warningColors: ['red'], regions: ['371002'] } };
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

const t0 = performance.now();
const rows = generate();
const t1 = performance.now();
const chunks = toChunks(rows);
const collector = new KeyCollector();
const indexed = chunks.map(({ chunk, dir }) => ({ chunk: EnterpriseSearchIndex.indexChunk(collector, chunk), dir }));
const t2 = performance.now();
const built = EnterpriseSearchIndex.assemble(collector, indexed);
const t3 = performance.now();
console.log(
  `data ${((t1 - t0) / 1000).toFixed(1)} s; pass one ${(t2 - t1).toFixed(0)} ms; assemble ${(t3 - t2).toFixed(0)} ms; ${built.size} docs`,
);
/**
 * IMAGE=1: the index as the index blobs hold it (index-image.ts), read back the way a start-up
 * reads it, and the queries below answered by that copy (their totals compared with the built one).
 */
async function throughImage(): Promise<EnterpriseSearchIndex> {
  const e0 = performance.now();
  const segments = await encodeIndexImage(built.image());
  const e1 = performance.now();
  const bytes = new Uint8Array(segments.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of segments) {
    bytes.set(s, at);
    at += s.length;
  }
  const d0 = performance.now();
  const image = decodeIndexImage(bytes);
  const d1 = performance.now();
  const loaded = EnterpriseSearchIndex.fromImage(image);
  const d2 = performance.now();
  const mb = (n: number) => (n / 1048576).toFixed(1);
  const texts = segments.filter((_, i) => i > 0).reduce((n, s) => n + s.length, 0);
  console.log(
    `image ${mb(bytes.length)} MB (${mb(texts)} MB after the header); encode ${(e1 - e0).toFixed(0)} ms; ` +
      `decode ${(d1 - d0).toFixed(0)} ms; derive ${(d2 - d1).toFixed(0)} ms`,
  );
  return loaded;
}
const index = process.env['IMAGE'] === '1' ? await throughImage() : built;
void summaryOf;
/** Each query is timed ROUNDS times (after one warm-up round); its median stands for it. */
const ROUNDS = Number(process.env['ROUNDS'] ?? '5');

/** Times the query mix on `idx`; `check` (another index) must give the same totals and hits. */
function timeQueries(label: string, idx: Searchable, qs: ReturnType<typeof queries>, check: Searchable | null): void {
  const byKind = new Map<string, number[]>();
  const all: number[] = [];
  const times = qs.map(() => [] as number[]);
  const totals: number[] = [];
  for (let round = 0; round <= ROUNDS; round++)
    qs.forEach(({ q, filters }, i) => {
      const s = performance.now();
      const a = idx.search(q, filters, 50);
      const ms = performance.now() - s;
      if (round > 0) times[i]!.push(ms);
      totals[i] = a.total;
      if (round === 0 && check !== null) {
        const want = check.search(q, filters, 50);
        if (want.total !== a.total || want.hits.map((h) => h.uscc).join() !== a.hits.map((h) => h.uscc).join())
          throw new Error(`${label}: "${q}" answered unlike the reference index`);
      }
    });
  const slow: [number, string][] = [];
  qs.forEach(({ kind, q }, i) => {
    const ms = pct(times[i]!, 50);
    all.push(ms);
    byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    slow.push([ms, `${kind} "${q}" total ${totals[i]}`]);
  });
  console.log(`-- ${label}`);
  for (const [kind, xs] of byKind)
    console.log(
      `${kind.padEnd(11)} n=${String(xs.length).padStart(3)} p50 ${pct(xs, 50).toFixed(2)} p95 ${pct(xs, 95).toFixed(2)} max ${Math.max(...xs).toFixed(2)} ms`,
    );
  console.log(`ALL p50 ${pct(all, 50).toFixed(2)} p95 ${pct(all, 95).toFixed(2)} ms`);
  slow.sort((a, b) => b[0] - a[0]);
  for (const [ms, what] of slow.slice(0, 12)) console.log(`  ${ms.toFixed(1)} ms  ${what}`);
}

if (process.env['DELTA'] === '1') {
  /**
   * DELTA=1: the same index with a delta kept beside it (segmented-index.ts), as after a sync of
   * 1,100 changed records: those are dead in the index and indexed again, unchanged, as a second
   * index, so every answer must equal the plain index's. Typing a USCC or a short fragment sends
   * its first characters, which match most of the station: those are timed too.
   */
  const step = Math.floor(COUNT / 1100);
  const dead = new Uint8Array(built.size);
  const again: Row[] = [];
  for (let d = 7; d < built.size && again.length < 1100; d += step) {
    dead[d] = 1;
    again.push(rows[d]!);
  }
  const tailCollector = new KeyCollector();
  const tail = EnterpriseSearchIndex.assemble(
    tailCollector,
    toChunks(again).map(({ chunk, dir }) => ({ chunk: EnterpriseSearchIndex.indexChunk(tailCollector, chunk), dir })),
  );
  const segmented = new SegmentedIndex(index, dead, again.length, tail);
  const typed = ['9', '91', '913', '9137', '有', '有限', '公司', '烟台'].map((q) => ({
    kind: 'typing',
    q,
    filters: {},
  }));
  const qs = [...queries(rows), ...typed];
  timeQueries('assembled', index, qs, null);
  timeQueries('with a delta beside it', segmented, qs, index);
} else timeQueries('assembled', index, queries(rows), index !== built ? built : null);
