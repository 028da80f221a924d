/**
 * The search filters (credit class, warning colour, status, region): each as a mask over its
 * column's value positions, so the test per document reads typed arrays only, and the documents
 * grouped per filtered column, so a filter-only query visits just the most selective filter's
 * documents (code-groups.ts).
 */
import { CODE_COLUMNS, codePosition, type CodeSummaryColumn } from '../summary-columns.js';
import { groupByCode, groupedCount, type CodeGroups } from './code-groups.js';
import type { CodeKey, Codes } from './index-columns.js';
import type { SearchFilters } from './types.js';

/** The asked filters as masks over their column's value positions (regions: the index's regions). */
export interface FilterMasks {
  readonly classes: Uint8Array | null;
  readonly colors: Uint8Array | null;
  readonly statuses: Uint8Array | null;
  readonly regions: Uint8Array | null;
}

const FILTER_KEYS = ['classes', 'colors', 'statuses', 'regions'] as const;

/**
 * Each filter as a mask over the positions in its column's values (regions: over the index's
 * distinct regions), so the test per document reads typed arrays only; null when not asked.
 */
export function filterMasks(f: SearchFilters, regionNames: readonly string[]): FilterMasks {
  const mask = (col: CodeSummaryColumn, wanted: readonly string[] | undefined): Uint8Array | null => {
    if (!wanted?.length) return null;
    const m = new Uint8Array(256);
    for (const w of wanted) {
      const at = codePosition(col, w);
      if (at >= 0) m[at] = 1;
    }
    return m;
  };
  const [classCol, colorCol, statusCol] = [columnOf('classes'), columnOf('colors'), columnOf('statuses')];
  const cls = mask(classCol, f.creditClasses);
  const colors = mask(colorCol, f.warningColors);
  const st = mask(statusCol, f.statuses);
  let regions: Uint8Array | null = null;
  if (f.regions?.length) {
    regions = new Uint8Array(regionNames.length);
    for (const r of f.regions) {
      const at = regionNames.indexOf(r);
      if (at >= 0) regions[at] = 1;
    }
  }
  return { classes: cls, colors, statuses: st, regions };
}

/** The per-document test of the asked filters; null when none is asked. */
export function filterFn(
  { classes: cls, colors, statuses: st, regions }: FilterMasks,
  codes: Codes,
  regionOf: Uint32Array,
): ((d: number) => boolean) | null {
  if (!cls && !colors && !st && !regions) return null;
  const { classes, colors: colorCodes, statuses } = codes;
  return (d) =>
    (!cls || cls[classes[d]!] === 1) &&
    (!colors || colors[colorCodes[d]!] === 1) &&
    (!st || st[statuses[d]!] === 1) &&
    (!regions || regions[regionOf[d]!] === 1);
}

/** The documents grouped by each filtered column, made when a filter-only query first needs it. */
export class FilterGroups {
  private readonly groups = new Map<keyof FilterMasks, CodeGroups>();

  constructor(
    private readonly codes: Codes,
    private readonly regionOf: Uint32Array,
    private readonly regionCount: number,
  ) {}

  /** The asked filter whose wanted values hold the fewest documents, with its groups (see code-groups.ts). */
  narrowest(masks: FilterMasks): { groups: CodeGroups; wanted: Uint8Array } {
    let best: { groups: CodeGroups; wanted: Uint8Array } | null = null;
    let bestCount = Infinity;
    for (const key of FILTER_KEYS) {
      const wanted = masks[key];
      if (!wanted) continue;
      const groups = this.groupsOf(key);
      const count = groupedCount(groups, wanted);
      if (count < bestCount) {
        best = { groups, wanted };
        bestCount = count;
      }
    }
    if (!best) throw new Error('narrowest: no filter asked');
    return best;
  }

  /** Groups one more filterable column (see EnterpriseSearchIndex.prepareFilters); true when all are done. */
  prepare(): boolean {
    for (const key of FILTER_KEYS)
      if (!this.groups.has(key)) {
        this.groupsOf(key);
        return this.groups.size === FILTER_KEYS.length;
      }
    return true;
  }

  private groupsOf(key: keyof FilterMasks): CodeGroups {
    let g = this.groups.get(key);
    if (!g) {
      g = key === 'regions' ? groupByCode(this.regionOf, this.regionCount) : groupByCode(this.codes[key], 256);
      this.groups.set(key, g);
    }
    return g;
  }
}

function columnOf(key: CodeKey): CodeSummaryColumn {
  const col = CODE_COLUMNS.find((c) => c.search === key);
  if (!col) throw new Error(`no summary column ${key}`);
  return col;
}
