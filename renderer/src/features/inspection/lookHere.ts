/**
 * Why the enterprise's record says to look at an item: failed at a past spot check. (Issue 4 will
 * add unkept commitments, expired licences and warning colours per item.)
 */
import type { Enterprise } from '../../../../shared/protocol/index.js';

export function lookHereReasons(enterprise: Enterprise | null): ReadonlyMap<string, string> {
  const reasons = new Map<string, string>();
  if (!enterprise) return reasons;
  const checks = [...enterprise.spotChecks].sort((a, b) => b.date.localeCompare(a.date));
  for (const check of checks) {
    for (const code of check.failedItems) {
      if (!reasons.has(code)) reasons.set(code, `${check.date} ${check.type}时不符合`);
    }
  }
  return reasons;
}
