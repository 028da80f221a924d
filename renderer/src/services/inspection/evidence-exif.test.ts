import { describe, expect, it } from 'vitest';
import { BARE_JPEG, jpegWithExif } from '../../testing/exif-jpeg.js';
import { exifInstant, readExif } from './evidence-exif.js';

const jpeg = (bytes: Uint8Array): Blob => new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' });

describe('readExif', () => {
  it('reads time (with its offset), GPS and camera from a JPEG', async () => {
    const bytes = jpegWithExif(BARE_JPEG, {
      dateTimeOriginal: '2026:05:01 10:00:00',
      offset: '+08:00',
      lat: 37.5135,
      lon: -122.1207,
      make: 'HUAWEI',
      model: 'ELS-AN00',
    });
    const exif = await readExif(jpeg(bytes));
    expect(exif).toMatchObject({ takenAt: '2026-05-01T02:00:00.000Z', device: 'HUAWEI ELS-AN00' });
    expect(exif?.lat).toBeCloseTo(37.5135, 4);
    expect(exif?.lon).toBeCloseTo(-122.1207, 4);
  });

  it('returns null for a photo without EXIF and for a non-image', async () => {
    expect(await readExif(jpeg(BARE_JPEG))).toBeNull();
    expect(await readExif(new Blob(['%PDF-1.7'], { type: 'application/pdf' }))).toBeNull();
  });

  it('keeps a time without an offset as device-local time', () => {
    expect(exifInstant('2026:05:01 10:00:00', undefined)).toBe(new Date('2026-05-01T10:00:00').toISOString());
    expect(exifInstant('0000:00:00 00:00:00', undefined)).toBeNull();
    expect(exifInstant(42, undefined)).toBeNull();
  });
});
