import { describe, expect, it } from 'vitest';
import { distanceM, exifDifferences, type EvidencePlace } from './evidence-meta.js';

const AT = '2026-05-01T02:00:00.000Z';
const HERE: EvidencePlace = { source: 'geolocation', lat: 37.5, lon: 122.1, accuracyM: 30, fixedAt: AT };
const ADDRESS: EvidencePlace = { source: 'registered-address', address: '威海市环翠区统一路 1 号', reason: 'denied' };

describe('distanceM', () => {
  it('measures a known distance (0.01° of latitude is about 1.11 km)', () => {
    expect(distanceM({ lat: 37.5, lon: 122.1 }, { lat: 37.51, lon: 122.1 })).toBeCloseTo(1112, -1);
  });
});

describe('exifDifferences', () => {
  it('says nothing without EXIF, or when EXIF agrees with the capture record', () => {
    expect(exifDifferences(null, { capturedAt: AT, place: HERE })).toEqual([]);
    const close = { takenAt: '2026-05-01T01:55:00.000Z', lat: 37.5005, lon: 122.1, device: 'X' };
    expect(exifDifferences(close, { capturedAt: AT, place: HERE })).toEqual([]);
  });

  it('flags a photo taken long before it was added, and one dated after', () => {
    const old = { takenAt: '2026-04-30T02:00:00.000Z', lat: null, lon: null, device: null };
    expect(exifDifferences(old, { capturedAt: AT, place: HERE })).toEqual(['照片自带的拍摄时间比保存时间早 24 小时']);
    const years = { ...old, takenAt: '2020-05-01T02:00:00.000Z' };
    expect(exifDifferences(years, { capturedAt: AT, place: HERE })).toEqual(['照片自带的拍摄时间比保存时间早 2191 天']);
    const later = { ...old, takenAt: '2026-05-01T02:30:00.000Z' };
    expect(exifDifferences(later, { capturedAt: AT, place: HERE })).toEqual(['照片自带的拍摄时间比保存时间晚 30 分钟']);
  });

  it('flags a GPS position far from the fix, beyond twice its accuracy', () => {
    const far = { takenAt: null, lat: 37.51, lon: 122.1, device: null };
    expect(exifDifferences(far, { capturedAt: AT, place: HERE })).toEqual([
      '照片自带的 GPS 位置与采集时的定位相距约 1.1 公里',
    ]);
    const vague: EvidencePlace = { ...HERE, accuracyM: 800 };
    expect(exifDifferences(far, { capturedAt: AT, place: vague })).toEqual([]);
  });

  it('says a GPS position cannot be checked when only the registered address was recorded', () => {
    const gps = { takenAt: null, lat: 37.5, lon: 122.1, device: null };
    expect(exifDifferences(gps, { capturedAt: AT, place: ADDRESS })).toEqual([
      '照片自带 GPS 位置，但采集时没有定位（记录的是登记地址），无法核对',
    ]);
  });
});
