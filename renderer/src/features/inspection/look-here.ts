/**
 * Adapter from the credit file to the pure look-here rules (shared/domain/checklist-hints.ts):
 * failed at a past visit, commitment not kept, expired licence, overdue equipment inspection,
 * a warning colour the reference data's scheme flags — per checklist item.
 */
import { checklistHints, type HintItem, type HintWarningLevel } from '../../../../shared/domain/checklist-hints.js';
import type { Enterprise } from '../../../../shared/protocol/index.js';

export function lookHereReasons(
  items: readonly HintItem[],
  enterprise: Enterprise | null,
  today: string,
  warningLevels: readonly HintWarningLevel[] = [],
): ReadonlyMap<string, readonly string[]> {
  if (!enterprise) return new Map();
  return checklistHints(
    items,
    {
      spotChecks: enterprise.spotChecks,
      commitments: enterprise.commitments,
      licences: enterprise.licences,
      specialEquipment: enterprise.specialEquipment,
      warningColor: enterprise.internal.warningColor,
    },
    today,
    warningLevels,
  );
}
