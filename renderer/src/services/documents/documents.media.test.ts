import { describe, expect, it } from 'vitest';
import type { EvidenceRef } from '../../../../shared/protocol/index.js';
import { evidenceDescription } from './documents.media.js';

const base: EvidenceRef = {
  id: 'att-1',
  kind: 'video',
  sha256: 'a'.repeat(64),
  size: 10,
  mime: 'video/mp4',
  caption: '',
  capturedAt: '2026-05-06T02:00:00Z',
  media: {
    durationS: 1800,
    startedAt: '2026-05-06T01:00:00.000Z',
    endedAt: '2026-05-06T01:30:00.000Z',
    startSource: 'mvhd',
    clips: [],
  },
};

describe('evidence lists name recordings with their length and time range', () => {
  it('a recording: caption or default, then duration and China-time range with where the start came from', () => {
    expect(evidenceDescription(base)).toBe(
      '执法记录仪录像（时长 30:00，2026-05-06 09:00:00 至 2026-05-06 09:30:00（录像文件记录的时间））',
    );
    expect(
      evidenceDescription({
        ...base,
        kind: 'audio',
        caption: '询问录音',
        media: { ...base.media!, startedAt: null, endedAt: null, startSource: 'unknown' },
      }),
    ).toBe('询问录音（时长 30:00，录制时间不详）');
  });

  it('photos and scans read as before', () => {
    const { media: _none, ...photo } = base;
    expect(evidenceDescription({ ...photo, kind: 'photo' })).toBe('现场照片');
    expect(evidenceDescription({ ...photo, kind: 'scan' }, '有关证照及资料的扫描件')).toBe('有关证照及资料的扫描件');
  });
});
