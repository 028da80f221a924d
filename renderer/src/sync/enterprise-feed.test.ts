/**
 * The streaming NDJSON reader: however the body is cut into chunks (even inside a multi-byte
 * character's line), it yields the same page as reading it whole; the header is announced before
 * the records end; a bad line is kept for quarantine; a bad header fails the page.
 */
import { describe, expect, it } from 'vitest';
import { NdjsonPageReader, parseNdjson, type PageHeader } from './enterprise-feed.js';

const header = { nextCursor: '42', hasMore: true, total: 3 };
const body = [
  JSON.stringify(header),
  JSON.stringify({ kind: 'upsert', seq: 40, enterprise: { uscc: 'X', name: '威海市海润食品有限公司' } }),
  '{not json',
  '',
  JSON.stringify({ kind: 'tombstone', seq: 42, uscc: 'Y' }),
].join('\n');

describe('NdjsonPageReader', () => {
  it('yields the same page for every way of cutting the body into two or three chunks', () => {
    const whole = parseNdjson(body);
    expect(whole?.lines.map((l) => l.value === undefined)).toEqual([false, true, false]);
    expect(whole).toMatchObject(header);
    for (let i = 0; i <= body.length; i += 7) {
      for (const j of [i, Math.min(body.length, i + 13)]) {
        const reader = new NdjsonPageReader();
        reader.push(body.slice(0, i));
        reader.push(body.slice(i, j));
        reader.push(body.slice(j));
        expect(reader.end()).toEqual(whole);
      }
    }
  });

  it('announces the header as soon as its line is complete', () => {
    const seen: PageHeader[] = [];
    const reader = new NdjsonPageReader((h) => seen.push(h));
    reader.push(body.slice(0, body.indexOf('\n')));
    expect(seen).toEqual([]);
    reader.push(body.slice(body.indexOf('\n'), body.indexOf('\n') + 5));
    expect(seen).toEqual([header]);
    reader.push(body.slice(body.indexOf('\n') + 5));
    expect(reader.end()?.lines).toHaveLength(3);
    expect(seen).toHaveLength(1);
  });

  it('fails the page when the header line is not a valid header', () => {
    const seen: PageHeader[] = [];
    const reader = new NdjsonPageReader((h) => seen.push(h));
    reader.push(`{"nextCursor":"abc","hasMore":true,"total":1}\n{"kind":"tombstone","seq":1,"uscc":"Y"}\n`);
    expect(reader.end()).toBeNull();
    expect(seen).toEqual([]);
    expect(parseNdjson('')).toBeNull();
  });
});
