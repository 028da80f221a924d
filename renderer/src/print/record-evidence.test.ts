/** The on-site record names every stored evidence file by kind, time, place and hash. */
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../../test/print/pdf-tools.js';
import { buildDocument } from './index.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('the record’s evidence list', () => {
  it('lists each item with its time, place (the registered address marked) and SHA-256; a markup names its original', () => {
    const input = fixtures.record();
    const withEvidence = {
      ...input,
      result: {
        ...input.result,
        evidence: [
          {
            id: 'att-1',
            kind: 'photo' as const,
            sha256: A,
            size: 10,
            mime: 'image/jpeg',
            caption: '门头',
            capturedAt: '2026-03-05T01:20:00.000Z',
            place: {
              source: 'geolocation' as const,
              lat: 37.5,
              lon: 122.1,
              accuracyM: 12,
              fixedAt: '2026-03-05T01:20:00.000Z',
            },
          },
          {
            id: 'att-2',
            kind: 'photo' as const,
            sha256: B,
            size: 10,
            mime: 'image/png',
            caption: '',
            capturedAt: '2026-03-05T01:25:00.000Z',
            place: { source: 'registered-address' as const, address: '统一路 1 号', reason: 'denied' as const },
            annotationOf: { id: 'att-1', sha256: A },
          },
        ],
      },
    };
    const text = JSON.stringify(buildDocument('record', withEvidence).content);
    expect(text).toContain(`照片（门头），2026年3月5日9时20分，定位 37.50000,122.10000（±12米）；SHA-256 ${A}`);
    expect(text).toContain(
      `标注照片，2026年3月5日9时25分，企业登记地址（非现场定位）统一路 1 号；SHA-256 ${B}；原件 SHA-256 ${A}`,
    );
    expect(JSON.stringify(buildDocument('record', input).content)).not.toContain('证据清单');
  });
});
