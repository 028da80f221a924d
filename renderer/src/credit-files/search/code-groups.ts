/**
 * The documents of an index grouped by the value of one coded column (a counting sort over the
 * column, made the first time a filter on it is asked): a query made of filters only then visits
 * the documents of its wanted values instead of testing every document of the station.
 */

/** Group g's documents are docs[start[g] … start[g+1]), ascending. */
export interface CodeGroups {
  readonly start: Uint32Array;
  readonly docs: Uint32Array;
}

/** Groups the documents by `codes[d]` (each below `groups`). */
export function groupByCode(codes: Uint8Array | Uint32Array, groups: number): CodeGroups {
  const start = new Uint32Array(groups + 1);
  for (let d = 0; d < codes.length; d++) {
    const g = codes[d]!;
    if (g >= groups) throw new RangeError(`code ${g} of document ${d} is not below ${groups}`);
    start[g + 1] = start[g + 1]! + 1;
  }
  for (let g = 0; g < groups; g++) start[g + 1] = start[g + 1]! + start[g]!;
  const fill = start.slice(0, groups);
  const docs = new Uint32Array(codes.length);
  for (let d = 0; d < codes.length; d++) {
    const g = codes[d]!;
    docs[fill[g]!] = d;
    fill[g] = fill[g]! + 1;
  }
  return { start, docs };
}

/** How many documents have a value `wanted` marks (wanted[g] === 1). */
export function groupedCount(groups: CodeGroups, wanted: Uint8Array): number {
  let n = 0;
  for (let g = 0; g < wanted.length && g + 1 < groups.start.length; g++)
    if (wanted[g] === 1) n += groups.start[g + 1]! - groups.start[g]!;
  return n;
}
