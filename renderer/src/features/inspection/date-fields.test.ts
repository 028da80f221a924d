/**
 * Dates typed as text (DateInput) reach finalize as typed until they name a date: finalize names
 * the field instead of failing on the payload schema.
 */
import { describe, expect, it } from 'vitest';
import { validateDraft } from '../../services/inspection/finalize-validation.js';
import type { Draft } from '../../services/index.js';
import { makeTask } from '../../testing/builders.js';

function draftWithDeadline(rectifyDeadline: string | null): Draft {
  return {
    taskId: 'task-1',
    resultId: 'r-1',
    startedAt: '2026-05-01T01:00:00.000Z',
    inspectedOn: '2026-05-01',
    items: [
      { itemCode: 'A01', outcome: 'pass', note: '', finding: null },
      {
        itemCode: 'A02',
        outcome: 'fail',
        note: '',
        finding: {
          description: '未按时年报',
          legalBasis: '条例',
          severity: 'key',
          handling: 'rectify',
          rectifyDeadline,
          lenient: null,
        },
      },
    ],
    findings: '',
    resultCodes: ['CORRECTED'],
    checkMethods: ['ON_SITE'],
    followUps: [],
    replaces: null,
    updatedAt: '2026-05-01T01:00:00.000Z',
    captions: {},
    signatures: [],
    templates: [],
    usccNote: '',
  };
}

const deadlineProblems = (d: Draft) =>
  validateDraft(d, makeTask(1))
    .filter((p) => p.path === 'items.1.finding.rectifyDeadline')
    .map((p) => p.message);

describe('rectify deadline typed as text', () => {
  it('an unreadable date is named at finalize', () => {
    expect(deadlineProblems(draftWithDeadline('2026-13'))).toEqual([expect.stringContaining('整改期限不是有效日期')]);
  });
  it('an empty one asks for the deadline', () => {
    expect(deadlineProblems(draftWithDeadline(null))).toEqual([expect.stringContaining('请填写整改期限')]);
  });
  it('a real date passes', () => {
    expect(deadlineProblems(draftWithDeadline('2026-05-15'))).toEqual([]);
  });
});
