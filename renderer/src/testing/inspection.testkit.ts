/**
 * Test helper (not imported by app code): signs a draft the way the signature pad does — a PNG
 * attachment per inspector slot and for the party — so data-layer tests can finalize.
 */
import { referenceRepo, tasksRepo } from '../db/index.js';
import type { Draft, InspectionService } from '../services/index.js';
import { makeReference, makeTask, testServices, type freshDatabases } from './builders.js';

/** A valid 1×1 PNG (bytes differ per call through the trailing text chunk name, so hashes differ). */
export function tinyPng(tag = 'x'): Blob {
  const base = Uint8Array.from(
    atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='),
    (c) => c.charCodeAt(0),
  );
  return new Blob([base, new TextEncoder().encode(tag)], { type: 'image/png' });
}

export async function signDraft(
  inspection: InspectionService,
  draft: Draft,
  party: { refused?: boolean } = {},
): Promise<Draft> {
  const signatures = [];
  for (const s of draft.signatures) {
    const file = await inspection.addEvidence(draft.taskId, tinyPng(s.slot), 'signature', `${s.slot}.png`);
    const base = { ...s, attachmentId: file.id, signedAt: file.capturedAt };
    if (s.role !== 'party') signatures.push(base);
    else if (party.refused)
      signatures.push({
        ...base,
        refused: true,
        refusalNote: '当事人拒绝签名',
        witnessName: '王见证',
        witnessIdNo: '370000199001010000',
      });
    else signatures.push({ ...base, name: '李四', post: '店长', idNo: '370000199001011234' });
  }
  return { ...draft, signatures };
}

/** The first item passes, the others fail with one 责令改正 finding: a complete draft short of signatures. */
export function filledWithFinding(d: Draft): Draft {
  return {
    ...d,
    items: d.items.map((i, n) =>
      n === 0
        ? { ...i, outcome: 'pass' }
        : {
            ...i,
            outcome: 'fail',
            finding: {
              description: '未按时年报',
              legalBasis: '条例',
              severity: 'general',
              handling: 'rectify',
              rectifyDeadline: '2026-06-01',
              lenient: null,
            },
          },
    ),
    resultCodes: ['CORRECTED'],
    checkMethods: ['ON_SITE'],
    followUps: ['ORDER_CORRECTION'],
  };
}

/**
 * Stores tasks 1…n with the reference data and finalizes a passing, signed result for each, in that
 * order (so the outbox holds them in queue order); returns their result ids.
 */
export async function finalizePassingTasks(dbs: ReturnType<typeof freshDatabases>, n: number): Promise<string[]> {
  const tasks = Array.from({ length: n }, (_, i) => makeTask(i + 1));
  await tasksRepo(dbs.field).applyPage(
    tasks.map((task, i) => ({ kind: 'upsert' as const, seq: i + 1, task })),
    String(n),
    n,
    'x',
  );
  await referenceRepo(dbs.cache).put(makeReference(), null, 'x');
  const s = testServices(dbs);
  const ids: string[] = [];
  for (const t of tasks) {
    const d = await s.inspection.openDraft(t.id);
    const items = d.items.map((i) => ({ ...i, outcome: 'pass' as const }));
    await s.inspection.saveDraft(
      await signDraft(s.inspection, { ...d, items, resultCodes: ['NO_PROBLEM'], checkMethods: ['ON_SITE'] }),
    );
    const r = await s.inspection.finalize(t.id);
    if (!r.ok) throw new Error('finalize failed');
    ids.push(r.result.resultId);
  }
  return ids;
}
