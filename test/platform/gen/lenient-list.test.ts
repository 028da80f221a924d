import { describe, expect, it } from 'vitest';
import { matchLenient } from '../../../shared/domain/lenient.js';
import { LenientEntrySchema } from '../../../shared/protocol/index.js';
import { ALL_ITEMS } from './catalogue.js';
import { FIRST_EDITION_TO, LENIENT_LIST, REVISION_FROM, buildLenientList } from './lenient-list.js';

describe('demo lenient list', () => {
  it('has 121 valid entries with unique codes and unique wording', () => {
    expect(LENIENT_LIST).toHaveLength(121);
    expect(new Set(LENIENT_LIST.map((e) => e.code)).size).toBe(121);
    expect(new Set(LENIENT_LIST.map((e) => e.violation)).size).toBe(121);
    for (const e of LENIENT_LIST) expect(LenientEntrySchema.parse(e)).toEqual(e);
  });

  it('covers only catalogue items, with periods that end no earlier than they start', () => {
    const codes = new Set(ALL_ITEMS.map((i) => i.code));
    for (const e of LENIENT_LIST) {
      for (const c of e.itemCodes) expect(codes.has(c), `${e.code} -> ${c}`).toBe(true);
      if (e.effectiveTo != null) expect(e.effectiveTo >= e.effectiveFrom, e.code).toBe(true);
    }
    // Every catalogue item has at least one entry.
    for (const c of codes)
      expect(
        LENIENT_LIST.some((e) => e.itemCodes.includes(c)),
        c,
      ).toBe(true);
  });

  it('is deterministic', () => {
    expect(buildLenientList()).toEqual(LENIENT_LIST);
  });

  it('swaps the replaced entries for the revision on the day the revision takes effect', () => {
    const before = matchLenient('SP03', LENIENT_LIST, FIRST_EDITION_TO);
    const after = matchLenient('SP03', LENIENT_LIST, REVISION_FROM);
    const replaced = before.filter((e) => e.effectiveTo === FIRST_EDITION_TO);
    const revised = after.filter((e) => e.effectiveFrom === REVISION_FROM);
    expect(replaced).toHaveLength(1);
    expect(revised).toHaveLength(1);
    expect(after.map((e) => e.code)).not.toContain(replaced[0]?.code);
    expect(before.map((e) => e.code)).not.toContain(revised[0]?.code);
    expect(revised[0]?.listVersion).not.toBe(replaced[0]?.listVersion);
  });

  it('keeps one entry for the licence item the demo walk-through uses', () => {
    expect(matchLenient('N010', LENIENT_LIST, '2026-05-06').map((e) => e.code)).toEqual(['SD-QW-001']);
  });
});
