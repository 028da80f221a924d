import { describe, expect, it } from 'vitest';
import type { Receipt } from '../../../shared/protocol/index.js';
import { evidenceDeletable } from './push-retention.js';

const att = { id: 'att-1', sha256: 'a'.repeat(64) };
const receipt = (over: Partial<Receipt> = {}): Receipt => ({
  resultId: 'r-1',
  receivedAt: '2026-01-01T00:00:00.000Z',
  contentHash: 'c'.repeat(64),
  attachmentHashes: [att],
  publication: { state: 'published', publishedAt: '2026-01-02T00:00:00.000Z', deadline: '2026-02-01' },
  clockSkewFlagged: false,
  ...over,
});
const at = (iso: string) => new Date(iso);

describe('evidence retention', () => {
  it('keeps evidence without a receipt, or when the receipt does not cover the exact bytes', () => {
    expect(evidenceDeletable({ attachment: att, receipt: null, now: at('2030-01-01T00:00:00Z') }).deletable).toBe(
      false,
    );
    expect(
      evidenceDeletable({
        attachment: { ...att, sha256: 'b'.repeat(64) },
        receipt: receipt(),
        now: at('2030-01-01T00:00:00Z'),
      }).deletable,
    ).toBe(false);
    expect(
      evidenceDeletable({ attachment: { ...att, id: 'att-2' }, receipt: receipt(), now: at('2030-01-01T00:00:00Z') })
        .deletable,
    ).toBe(false);
  });

  it('keeps held results and anything inside the retention period; frees covered evidence after it', () => {
    expect(
      evidenceDeletable({
        attachment: att,
        receipt: receipt({ publication: { state: 'held', publishedAt: null, deadline: '2026-02-01' } }),
        now: at('2030-01-01T00:00:00Z'),
      }),
    ).toEqual({ deletable: false, reason: '结果被平台暂缓公示，需复核' });
    expect(
      evidenceDeletable({ attachment: att, receipt: receipt(), now: at('2026-03-31T00:00:00Z'), retentionDays: 90 })
        .deletable,
    ).toBe(false);
    expect(
      evidenceDeletable({ attachment: att, receipt: receipt(), now: at('2026-04-01T00:00:01Z'), retentionDays: 90 }),
    ).toEqual({ deletable: true });
  });
});
