import { describe, expect, it } from 'vitest';
import { clockText, exifText, placeText } from './evidence-text.js';

describe('evidence place, clock and EXIF in words', () => {
  it('marks the registered address as such, with why there is no fix', () => {
    expect(placeText({ source: 'registered-address', address: '统一路 1 号', reason: 'denied' })).toBe(
      '企业登记地址（未允许定位，非现场定位）：统一路 1 号',
    );
    expect(placeText({ source: 'registered-address', address: '', reason: 'unavailable' })).toContain('未能定位');
  });

  it('gives a fix with hemisphere and accuracy', () => {
    const fix = {
      source: 'geolocation',
      lat: 37.5,
      lon: -122.25,
      accuracyM: 24.6,
      fixedAt: '2026-05-06T02:00:00Z',
    } as const;
    expect(placeText(fix)).toBe('定位 北纬 37.50000°，西经 122.25000°（精度 ±25 米）');
  });

  it('says which way the device clock is off, or that it is unknown', () => {
    expect(clockText(300)).toBe('本机时钟与平台一致');
    expect(clockText(90_000)).toBe('本机时钟比平台慢 90 秒');
    expect(clockText(-600_000)).toBe('本机时钟比平台快 10 分钟');
    expect(clockText(null)).toContain('未知');
    expect(clockText(undefined)).toBe('');
  });

  it('lists what the EXIF holds', () => {
    expect(exifText(null)).toBe('照片无 EXIF 信息');
    expect(exifText({ takenAt: null, lat: null, lon: null, device: 'HUAWEI P60' })).toBe('EXIF：设备 HUAWEI P60');
  });
});
