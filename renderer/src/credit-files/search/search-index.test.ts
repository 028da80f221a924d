/**
 * The index's answers against a brute-force reference over random data: every document is checked
 * against every term the slow, obvious way (which fields hold the term's characters, then the score
 * bands), all matches are sorted, and the best `limit` must equal the index's hits, in order, with
 * the same total. Small alphabets make long posting lists, repeated keys, ties and near misses common.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENTERPRISE_STATUSES } from '../../../../shared/protocol/index.js';
import { CODE_COLUMNS } from '../summary-columns.js';
import type { EntDirRow, EntSearchRow } from '../../db/index.js';
import { EnterpriseSearchIndex } from './search-index.js';
import { KeyCollector } from './postings.js';
import { decodeIndexImage, encodeIndexImage } from './index-image.js';
import type { SearchFilters } from './types.js';
import { SegmentedIndex } from './segmented-index.js';

interface Doc {
  uscc: string;
  name: string;
  rep: string;
  address: string;
  region: string;
  cls: string;
  color: string;
  status: string;
}

const NOISE = /^(山东省)?(威海市|烟台市)?/;
const USCC_QUERY = /^[0-9A-HJ-NP-RTUW-Y]{2,18}$/;

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i < s.length; i++) out.add(s.slice(i - 1, i + 1));
  return out;
}

/** Whether the index may offer the document for the term: the bigrams (or the one character) and USCC prefixes. */
function candidate(d: Doc, term: string): boolean {
  const upper = term.toUpperCase();
  if (USCC_QUERY.test(upper) && d.uscc.startsWith(upper)) return true;
  if (term.length === 1) return d.name.includes(term);
  const keys = new Set([...bigrams(d.name), ...bigrams(d.rep), ...bigrams(d.address.replace(NOISE, ''))]);
  return [...bigrams(term)].every((k) => keys.has(k));
}

function termScore(d: Doc, term: string): number {
  const upper = term.toUpperCase();
  if (d.uscc.startsWith(upper)) return 3000 + upper.length;
  const at = d.name.indexOf(term);
  if (at >= 0) return (d.name === term ? 2500 : 2100) - Math.min(at, 40) * 2 - Math.min(d.name.length, 60);
  if (d.rep === term) return 1500;
  if (term.length >= 2 && d.rep.includes(term)) return 1200;
  if (term.length >= 2 && d.address.includes(term)) return 800;
  return 0;
}

function reference(docs: readonly Doc[], query: string, f: SearchFilters, limit: number) {
  const terms = query
    .trim()
    .split(/\s+/)
    .filter((t) => t.length > 0);
  const pass = (d: Doc) =>
    (!f.creditClasses?.length || (f.creditClasses as readonly string[]).includes(d.cls)) &&
    (!f.warningColors?.length || (f.warningColors as readonly string[]).includes(d.color)) &&
    (!f.statuses?.length || (f.statuses as readonly string[]).includes(d.status)) &&
    (!f.regions?.length || f.regions.includes(d.region));
  const filtered = !!(f.creditClasses?.length || f.warningColors?.length || f.statuses?.length || f.regions?.length);
  const scored: [Doc, number][] = [];
  for (const d of docs) {
    if (!pass(d)) continue;
    if (terms.length === 0) {
      if (filtered) scored.push([d, 100 - d.name.length]);
      continue;
    }
    if (!terms.every((t) => candidate(d, t))) continue;
    const parts = terms.map((t) => termScore(d, t));
    if (parts.some((s) => s === 0)) continue;
    const sum = parts.reduce((a, b) => a + b, 0);
    scored.push([d, d.status === '存续' ? sum + 5 : sum]);
  }
  scored.sort((a, b) => b[1] - a[1] || (a[0].uscc < b[0].uscc ? -1 : 1));
  return { total: scored.length, usccs: scored.slice(0, limit).map(([d]) => d.uscc) };
}

function build(docs: readonly Doc[], chunk: number): EnterpriseSearchIndex {
  const collector = new KeyCollector();
  const parts: { chunk: ReturnType<typeof EnterpriseSearchIndex.indexChunk>; dir: EntDirRow }[] = [];
  for (let s = 0, id = 1; s < docs.length; s += chunk, id++) {
    const part = docs.slice(s, s + chunk);
    const code = (key: 'classes' | 'colors' | 'statuses', v: (d: Doc) => string) => {
      const col = CODE_COLUMNS.find((c) => c.search === key)!;
      return part.map((d) => col.code(v(d))).join('');
    };
    const row: EntSearchRow = {
      id,
      generation: 1,
      usccs: part.map((d) => d.uscc),
      names: part.map((d) => d.name),
      legalReps: part.map((d) => d.rep),
      addresses: part.map((d) => d.address),
      regions: part.map((d) => d.region),
      classes: code('classes', (d) => d.cls),
      colors: code('colors', (d) => d.color),
      statuses: code('statuses', (d) => d.status),
    };
    const dir: EntDirRow = { id, generation: 1, size: part.length, usccs: row.usccs, versions: part.map(() => 1) };
    parts.push({ chunk: EnterpriseSearchIndex.indexChunk(collector, row), dir });
  }
  return EnterpriseSearchIndex.assemble(collector, parts);
}

const CHARS = ['海', '润', '有', '限', '公', '司', '翠', '区', '王', '伟', 'A', '1', '9'];
const text = (min: number, max: number) =>
  fc.array(fc.constantFrom(...CHARS), { minLength: min, maxLength: max }).map((a) => a.join(''));
const USCC_CHARS = ['9', '1', '3', '7', 'M', 'A'];
const docArb = fc.record({
  uscc: fc.array(fc.constantFrom(...USCC_CHARS), { minLength: 6, maxLength: 6 }).map((a) => `91${a.join('')}`),
  name: text(1, 12),
  rep: text(1, 4),
  address: fc.tuple(fc.constantFrom('', '山东省', '山东省威海市'), text(0, 8)).map(([p, t]) => p + t),
  region: fc.constantFrom('371002', '371082'),
  cls: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
  color: fc.constantFrom('', 'red', 'blue'),
  status: fc.constantFrom(...ENTERPRISE_STATUSES.slice(0, 3)),
});
/** A query: literal text, or a fragment of one of the documents (resolved once they exist). */
type QuerySpec = string | { doc: number; field: 'name' | 'rep' | 'address' | 'uscc'; from: number; len: number };
const queryArb: fc.Arbitrary<QuerySpec> = fc.oneof(
  text(1, 4),
  fc.tuple(text(1, 3), text(1, 3)).map(([a, b]) => `${a} ${b}`),
  fc.array(fc.constantFrom(...USCC_CHARS, 'a', 'm'), { minLength: 0, maxLength: 4 }).map((a) => `91${a.join('')}`),
  fc.constant(''),
  fc.record({
    doc: fc.nat(),
    field: fc.constantFrom('name' as const, 'name' as const, 'rep' as const, 'address' as const, 'uscc' as const),
    from: fc.nat({ max: 12 }),
    len: fc.integer({ min: 1, max: 13 }),
  }),
);
function resolve(spec: QuerySpec, docs: readonly Doc[]): string {
  if (typeof spec === 'string') return spec;
  const d = docs[spec.doc % docs.length]!;
  const t = spec.field === 'name' ? d.name : spec.field === 'rep' ? d.rep : spec.field === 'uscc' ? d.uscc : d.address;
  const from = spec.field === 'uscc' ? 0 : Math.min(spec.from, Math.max(0, t.length - 1));
  const q = t.slice(from, from + spec.len);
  return spec.field === 'uscc' && spec.len % 2 === 0 ? q.toLowerCase() : q;
}
const filterArb = fc.record(
  {
    creditClasses: fc.subarray(['A', 'B', 'C', 'D', 'E'] as const, { minLength: 1 }),
    warningColors: fc.subarray(['red', 'blue', 'orange'] as const, { minLength: 1 }),
    regions: fc.subarray(['371002', '371082'], { minLength: 1 }),
  },
  { requiredKeys: [] },
);

/** Up to 12 queries, each with or without filters and with a page size. */
const queryListArb = fc.array(fc.tuple(queryArb, fc.oneof(fc.constant({}), filterArb), fc.constantFrom(1, 3, 10, 50)), {
  minLength: 1,
  maxLength: 12,
});

describe('EnterpriseSearchIndex against a brute-force reference', () => {
  it('answers every query like the reference: same total, same hits in the same order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(docArb, { minLength: 1, maxLength: 120, selector: (d) => d.uscc }),
        queryListArb,
        fc.constantFrom(7, 50, 1000),
        fc.boolean(),
        (docs, queries, chunk, prepared) => {
          const index = build(docs, chunk);
          // Filter groups made ahead (as the engine does in the background) or on first use.
          if (prepared) while (!index.prepareFilters());
          for (const [spec, f, limit] of queries) {
            const q = resolve(spec, docs);
            const got = index.search(q, f, limit);
            const want = reference(docs, q, f, limit);
            expect({ q, f, total: got.total, usccs: got.hits.map((h) => h.uscc) }).toEqual({ q, f, ...want });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stays exact over thousands of documents (long lists, galloping joins, cut-off top lists)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(docArb, { minLength: 2000, maxLength: 4000, selector: (d) => d.uscc }),
        fc.array(fc.tuple(queryArb, fc.oneof(fc.constant({}), filterArb), fc.constantFrom(1, 10, 50)), {
          minLength: 20,
          maxLength: 40,
        }),
        (docs, queries) => {
          const index = build(docs, 1000);
          for (const [spec, f, limit] of queries) {
            const q = resolve(spec, docs);
            const got = index.search(q, f, limit);
            const want = reference(docs, q, f, limit);
            expect({ q, f, total: got.total, usccs: got.hits.map((h) => h.uscc) }).toEqual({ q, f, ...want });
          }
        },
      ),
      // Shrinking thousands of documents takes minutes: report the first failing case as it is.
      { numRuns: 8, endOnFailure: true },
    );
  });

  it('answers a delta kept beside the index (records dead in it, new ones in a second index) like the reference', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(docArb, { minLength: 1, maxLength: 120, selector: (d) => d.uscc }),
        fc.array(fc.boolean(), { minLength: 120, maxLength: 120 }),
        // New records: some share a USCC with the base (updates), the others are new enterprises.
        fc.uniqueArray(docArb, { minLength: 0, maxLength: 40, selector: (d) => d.uscc }),
        queryListArb,
        fc.constantFrom(7, 50, 1000),
        (docs, removed, added, queries, chunk) => {
          const base = build(docs, chunk);
          const updated = new Set(added.map((d) => d.uscc));
          const dead = new Uint8Array(docs.length);
          docs.forEach((d, i) => {
            if (removed[i] || updated.has(d.uscc)) dead[i] = 1;
          });
          const deadCount = dead.reduce((n, x) => n + x, 0);
          const index = new SegmentedIndex(base, dead, deadCount, added.length > 0 ? build(added, chunk) : null);
          const live = [...docs.filter((_, i) => dead[i] === 0), ...added];
          expect(index.size).toBe(live.length);
          for (const [spec, f, limit] of queries) {
            const q = resolve(spec, live.length > 0 ? live : docs);
            const got = index.search(q, f, limit);
            const want = reference(live, q, f, limit);
            expect({ q, f, total: got.total, usccs: got.hits.map((h) => h.uscc) }).toEqual({ q, f, ...want });
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers exactly the same when read back from its blob bytes, whatever part of the text is decoded yet', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(docArb, { minLength: 1, maxLength: 150, selector: (d) => d.uscc }),
        queryListArb,
        fc.constantFrom(7, 50, 1000),
        fc.nat({ max: 200 }),
        async (docs, queries, chunk, decodedFirst) => {
          const built = build(docs, chunk);
          const segments = await encodeIndexImage(built.image());
          const bytes = new Uint8Array(segments.reduce((n, seg) => n + seg.length, 0));
          segments.reduce((at, seg) => (bytes.set(seg, at), at + seg.length), 0);
          const read = EnterpriseSearchIndex.fromImage(decodeIndexImage(bytes));
          // Some documents' text already decoded in the background, the rest decoded as read.
          if (decodedFirst > 0) read.fillText(decodedFirst);
          for (const [spec, f, limit] of queries) {
            const q = resolve(spec, docs);
            const want = built.search(q, f, limit);
            const got = read.search(q, f, limit);
            expect({ q, f, total: got.total, hits: got.hits }).toEqual({ q, f, total: want.total, hits: want.hits });
            expect(got.total).toBe(reference(docs, q, f, limit).total);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
