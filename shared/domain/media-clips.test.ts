import { describe, expect, it } from 'vitest';
import { checkClip, formatSeconds, mediaTiming } from './media-clips.js';
import { EvidenceRefSchema } from '../protocol/results.js';

describe('clip marks', () => {
  it('accepts a clip inside the recording, trimmed and rounded to milliseconds', () => {
    expect(checkClip({ fromS: 1.23456, toS: 9.8765, note: '  出示执法证  ' }, 10)).toEqual({
      ok: true,
      clip: { fromS: 1.235, toS: 9.877, note: '出示执法证' },
    });
  });

  it.each([
    [{ fromS: -1, toS: 2, note: 'x' }, 10, '不能早于录像开头'],
    [{ fromS: 5, toS: 5, note: 'x' }, 10, '须晚于开始时间'],
    [{ fromS: 5, toS: 11, note: 'x' }, 10, '超出录像时长（0:10）'],
    [{ fromS: 1, toS: 2, note: '   ' }, 10, '请填写片段说明'],
    [{ fromS: Number.NaN, toS: 2, note: 'x' }, 10, '须为数字'],
    [{ fromS: 1, toS: 2, note: '长'.repeat(501) }, 10, '不能超过 500 字'],
  ])('refuses %j (duration %s) with a specific message', (clip, duration, message) => {
    const r = checkClip(clip, duration);
    expect(r.ok ? '' : r.message).toContain(message);
  });

  it('with an unknown duration checks order and sign only', () => {
    expect(checkClip({ fromS: 100, toS: 5000, note: 'x' }, null).ok).toBe(true);
  });

  it('the payload schema refuses a clip past the end or a media entry on a photo', () => {
    const base = {
      id: 'att-1',
      sha256: 'a'.repeat(64),
      size: 10,
      mime: 'video/mp4',
      caption: '',
      capturedAt: '2026-05-06T02:00:00Z',
    };
    const media = { durationS: 10, startedAt: null, endedAt: null, startSource: 'unknown' as const };
    expect(
      EvidenceRefSchema.safeParse({
        ...base,
        kind: 'video',
        media: { ...media, clips: [{ fromS: 1, toS: 2, note: 'a' }] },
      }).success,
    ).toBe(true);
    const past = EvidenceRefSchema.safeParse({
      ...base,
      kind: 'video',
      media: { ...media, clips: [{ fromS: 1, toS: 12, note: 'a' }] },
    });
    expect(past.success ? '' : past.error.issues[0]?.message).toBe('片段超出录像时长');
    expect(EvidenceRefSchema.safeParse({ ...base, kind: 'video' }).success).toBe(false);
    expect(EvidenceRefSchema.safeParse({ ...base, kind: 'photo', media: { ...media, clips: [] } }).success).toBe(false);
  });
});

describe('time range of a recording', () => {
  it('from the camera start time, else from the file time minus the duration', () => {
    expect(mediaTiming(90, { at: new Date('2026-05-06T01:00:00Z'), source: 'mvhd' }, null)).toEqual({
      durationS: 90,
      startedAt: '2026-05-06T01:00:00.000Z',
      endedAt: '2026-05-06T01:01:30.000Z',
      startSource: 'mvhd',
    });
    expect(mediaTiming(60, null, new Date('2026-05-06T01:00:00Z'))).toMatchObject({
      startedAt: '2026-05-06T00:59:00.000Z',
      startSource: 'file-modified',
    });
    expect(mediaTiming(null, null, new Date())).toMatchObject({ durationS: null, startSource: 'unknown' });
    expect(formatSeconds(3723)).toBe('1:02:03');
    expect(formatSeconds(65)).toBe('1:05');
  });
});
