import { describe, expect, it } from 'vitest';
import { EnterpriseSchema, WarningSchemeSchema } from '../../../shared/protocol/index.js';
import { buildReference } from '../routes/reference.js';
import { generateUsccs, makeEnterprise } from './enterprises.js';
import { createRng } from './prng.js';
import { WARNING_SCHEME, warningColorFor } from './warning-scheme.js';

const base = { foodRiskLevel: null, specialEquipmentUser: false, inspectionOverdue: false, creditClass: 'A' } as const;

describe('demo four-colour warning scheme', () => {
  it('is valid, versioned and served in reference data', () => {
    expect(WarningSchemeSchema.parse(WARNING_SCHEME)).toEqual(WARNING_SCHEME);
    expect(buildReference().warningScheme?.version).toBe(WARNING_SCHEME.version);
    expect(WARNING_SCHEME.levels.map((l) => l.color)).toEqual(['red', 'orange', 'blue', 'green']);
  });

  it('sets a colour only by its triggers, for food and special-equipment units only', () => {
    expect(warningColorFor(WARNING_SCHEME, { ...base, creditClass: 'E' })).toBeNull();
    expect(warningColorFor(WARNING_SCHEME, { ...base, foodRiskLevel: 'C' })).toBe('orange');
    expect(warningColorFor(WARNING_SCHEME, { ...base, specialEquipmentUser: true, creditClass: 'B' })).toBe('blue');
    // A serious hazard forces red whatever the class; the most severe trigger wins.
    expect(
      warningColorFor(WARNING_SCHEME, {
        ...base,
        specialEquipmentUser: true,
        creditClass: 'A',
        inspectionOverdue: true,
      }),
    ).toBe('red');
    expect(
      warningColorFor(WARNING_SCHEME, { ...base, foodRiskLevel: 'A', specialEquipmentUser: true, creditClass: 'C' }),
    ).toBe('orange');
    // Triggers are data: without the overdue trigger, the overdue unit falls back to its class.
    const calm = {
      ...WARNING_SCHEME,
      triggers: WARNING_SCHEME.triggers.filter((t) => t.code !== 'se-inspection-overdue'),
    };
    expect(
      warningColorFor(calm, { ...base, specialEquipmentUser: true, creditClass: 'A', inspectionOverdue: true }),
    ).toBe('green');
  });

  it('leaves generated enterprises outside food and special equipment without a colour', () => {
    const rng = createRng('warning-scheme-test');
    const ents = generateUsccs(7, 400).map((u) => EnterpriseSchema.parse(makeEnterprise(rng, '2026-05-06', u)));
    const inField = (e: (typeof ents)[number]): boolean =>
      e.internal.foodRiskLevel !== null || e.specialEquipment.length > 0;
    for (const e of ents) expect(e.internal.warningColor !== null, e.uscc).toBe(inField(e));
    expect(ents.filter(inField).length).toBeGreaterThan(0);
    expect(ents.filter((e) => !inField(e)).length).toBeGreaterThan(0);
    for (const e of ents.filter((x) => x.specialEquipment.some((s) => s.nextInspectionDue < '2026-05-06')))
      expect(e.internal.warningColor).toBe('red');
  });
});
