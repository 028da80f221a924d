/**
 * The streaming NDJSON reader over bytes: however the body is cut into network chunks (even inside
 * a multi-byte character), it yields the same prepared page as reading it whole; valid records are
 * kept as the exact bytes of their line; the header is announced before the records end; a bad
 * line is quarantined alone; a bad header fails the page.
 */
import { describe, expect, it } from 'vitest';
import { makeEnterprise, makeUscc } from '../../testing/builders.js';
import {
  makeEnterprise as generateEnterprise,
  makeInvalidRecord,
  makeUscc as generateUscc,
  pickKindAndRegion,
} from '../../../../test/platform/gen/enterprises.js';
import { createRng } from '../../../../test/platform/gen/prng.js';
import { NdjsonPageReader, parseNdjson, type PageHeader } from './enterprise-feed.js';
import { PagePreparer } from '../import/enterprise-prepare.js';

const header = { nextCursor: '42', hasMore: true, total: 3 };
const good = JSON.stringify({
  kind: 'upsert',
  seq: 40,
  enterprise: makeEnterprise(1, { name: '威海市海润食品有限公司' }),
});
const body = [
  JSON.stringify(header),
  good,
  '{not json',
  '',
  JSON.stringify({ kind: 'upsert', seq: 41, enterprise: { uscc: makeUscc(3), name: '缺字段的企业' } }),
  JSON.stringify({ kind: 'tombstone', seq: 42, uscc: makeUscc(2) }),
].join('\n');
const bytes = new TextEncoder().encode(body);
const AT = '2026-05-06T02:00:00.000Z';

describe('NdjsonPageReader', () => {
  it('keeps valid records as their bytes, quarantines bad lines alone, and summarizes', () => {
    const page = parseNdjson(bytes, AT)!;
    expect(page).toMatchObject(header);
    expect(page.lineCount).toBe(4);
    expect(page.changes.map((c) => c.kind)).toEqual(['upsert', 'tombstone']);
    expect(page.changes[0]).toEqual({
      kind: 'upsert',
      seq: 40,
      enterprise: expect.objectContaining({ uscc: makeUscc(1), name: '威海市海润食品有限公司' }),
    });
    expect(new TextDecoder().decode(page.raws[0]!)).toBe(good);
    expect(page.raws[1]).toBeNull();
    expect(page.bad.map((b) => b.reason)).toEqual([
      expect.stringContaining('不是合法的 JSON'),
      expect.stringContaining('企业档案不符合协议'),
    ]);
    expect(page.bad[0]!.raw).toBe('{not json');
  });

  it('yields the same page for every way of cutting the bytes into three chunks, even mid-character', () => {
    const whole = parseNdjson(bytes, AT);
    for (let i = 0; i <= bytes.length; i += 5) {
      for (const j of [i, Math.min(bytes.length, i + 1), Math.min(bytes.length, i + 13)]) {
        const prep = new PagePreparer(AT);
        const reader = new NdjsonPageReader((v, raw, text) => prep.add(v, raw, text));
        reader.push(bytes.slice(0, i));
        reader.push(bytes.slice(i, j));
        reader.push(bytes.slice(j));
        const h = reader.end();
        expect(h ? prep.finish(h) : null).toEqual(whole);
      }
    }
  });

  it('decodes invalid UTF-8 the same way however the bytes are cut, and quarantines that line alone', () => {
    // A lone lead byte (0xE6) just before a newline, and a stray continuation byte (0x80) in a record.
    const enc = new TextEncoder();
    const parts = [
      enc.encode(`${JSON.stringify(header)}\n${good}\n{"kind":"up`),
      Uint8Array.of(0xe6),
      enc.encode('\n'),
      enc.encode(good.slice(0, 30)),
      Uint8Array.of(0x80),
      enc.encode(`${good.slice(30)}\n`),
    ];
    const dirty = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => {
      dirty.set(p, at);
      return at + p.length;
    }, 0);
    const whole = parseNdjson(dirty, AT)!;
    expect(whole.changes).toHaveLength(1);
    expect(whole.bad).toHaveLength(2);
    expect(whole.bad[0]!.raw).toBe('{"kind":"up\uFFFD');
    for (let i = 0; i <= dirty.length; i++) {
      const prep = new PagePreparer(AT);
      const reader = new NdjsonPageReader((v, raw, text) => prep.add(v, raw, text));
      reader.push(dirty.slice(0, i));
      reader.push(dirty.slice(i));
      const h = reader.end();
      expect(h ? prep.finish(h) : null).toEqual(whole);
    }
  });

  it('announces the header as soon as its line is complete', () => {
    const seen: PageHeader[] = [];
    const lines: unknown[] = [];
    const reader = new NdjsonPageReader(
      (v) => lines.push(v),
      (h) => seen.push(h),
    );
    const nl = bytes.indexOf(10);
    reader.push(bytes.slice(0, nl));
    expect(seen).toEqual([]);
    reader.push(bytes.slice(nl, nl + 5));
    expect(seen).toEqual([header]);
    reader.push(bytes.slice(nl + 5));
    expect(reader.end()).toEqual(header);
    expect(lines).toHaveLength(4);
    expect(seen).toHaveLength(1);
  });

  it('fails the page when the header line is not a valid header', () => {
    const seen: PageHeader[] = [];
    const reader = new NdjsonPageReader(
      () => undefined,
      (h) => seen.push(h),
    );
    reader.push(
      new TextEncoder().encode(
        `{"nextCursor":"abc","hasMore":true,"total":1}\n{"kind":"tombstone","seq":1,"uscc":"Y"}\n`,
      ),
    );
    expect(reader.end()).toBeNull();
    expect(seen).toEqual([]);
    expect(parseNdjson('')).toBeNull();
  });

  it('accepts generated credit files on the byte path and gives the same page as decoding every line', () => {
    const rng = createRng('feed-byte-path');
    const lines = [JSON.stringify({ nextCursor: '900', hasMore: false, total: 300 })];
    for (let i = 0; i < 300; i++) {
      const { kind, region } = pickKindAndRegion(rng);
      const uscc = generateUscc(rng, kind, region);
      // Every 25th line is one of the simulator's invalid records, every 40th a tombstone.
      if (i % 25 === 7)
        lines.push(JSON.stringify({ kind: 'upsert', seq: i + 1, enterprise: makeInvalidRecord(rng, uscc, i) }));
      else if (i % 40 === 11) lines.push(JSON.stringify({ kind: 'tombstone', seq: i + 1, uscc }));
      else
        lines.push(
          JSON.stringify({ kind: 'upsert', seq: i + 1, enterprise: generateEnterprise(rng, '2026-05-06', uscc) }),
        );
    }
    const page = new TextEncoder().encode(lines.join('\n'));
    const fast = new PagePreparer(AT);
    let accepted = 0;
    const reader = new NdjsonPageReader(
      (v, raw, text) => fast.add(v, raw, text),
      undefined,
      (raw) => {
        const ok = fast.addBytes(raw);
        if (ok) accepted++;
        return ok;
      },
    );
    reader.push(page);
    const slow = new PagePreparer(AT);
    const decoding = new NdjsonPageReader((v, raw, text) => slow.add(v, raw, text));
    decoding.push(page);
    const h = reader.end()!;
    expect(decoding.end()).toEqual(h);
    const a = fast.finish(h);
    const b = slow.finish(h);
    expect(a).toEqual(b);
    expect(b.bad).toHaveLength(12);
    expect(b.changes.filter((c) => c.kind === 'tombstone')).toHaveLength(8);
    expect(accepted).toBe(300 - 12 - 8); // every valid upsert took the byte path
  });
});
