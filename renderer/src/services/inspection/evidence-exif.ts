/**
 * Reads what an image file says about itself (EXIF: when, where, which camera) with exifr. Raw
 * values are read and interpreted here rather than exifr's revived Dates: DateTimeOriginal has no
 * zone, and only with OffsetTimeOriginal is it an instant; without it, it is read as device-local
 * time (the photo and the laptop are in the same place in practice) and that is said in the UI.
 * exifr is loaded on the first image added (a lazy chunk), not at start-up.
 */
import type { ExifSummary } from '../../../../shared/domain/evidence-meta.js';

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim().length > 0 ? v.replace(/\0+$/, '').trim() : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** "2026:05:01 10:00:00" (+ optional "+08:00") → ISO instant, or null when unreadable. */
export function exifInstant(raw: unknown, offset: unknown): string | null {
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text(raw) ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const zone = text(offset);
  const local = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  const ms = /^[+-]\d{2}:\d{2}$/.test(zone ?? '') ? Date.parse(`${local}${zone}`) : new Date(local).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Degrees from exifr's GPS output, or null when the file has no usable position. */
function coordinate(value: unknown, ref: unknown, negative: string): number | null {
  const deg = Array.isArray(value)
    ? value.reduce<number>((sum, part: unknown, i) => sum + (num(part) ?? NaN) / 60 ** i, 0)
    : num(value);
  if (deg === null || !Number.isFinite(deg)) return null;
  return text(ref)?.toUpperCase() === negative ? -deg : deg;
}

/** The EXIF summary of an image, or null when it has none (or is not an image exifr reads). */
export async function readExif(file: Blob): Promise<ExifSummary | null> {
  if (!file.type.startsWith('image/')) return null;
  let raw: unknown;
  try {
    const { default: exifr } = await import('exifr');
    raw = await exifr.parse(new Uint8Array(await file.arrayBuffer()), {
      tiff: true,
      exif: true,
      gps: true,
      ifd1: false,
      interop: false,
      xmp: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      reviveValues: false,
      translateValues: false,
    });
  } catch {
    return null; // unreadable metadata is no metadata: the photo itself is still kept
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const t = raw as Record<string, unknown>;
  const lat = coordinate(t.GPSLatitude, t.GPSLatitudeRef, 'S');
  const lon = coordinate(t.GPSLongitude, t.GPSLongitudeRef, 'W');
  const device = [text(t.Make), text(t.Model)].filter((x): x is string => x !== null).join(' ') || null;
  const summary: ExifSummary = {
    takenAt: exifInstant(t.DateTimeOriginal ?? t.CreateDate ?? t.DateTime, t.OffsetTimeOriginal ?? t.OffsetTime),
    lat: lat !== null && lon !== null ? lat : null,
    lon: lat !== null && lon !== null ? lon : null,
    device: device?.slice(0, 200) ?? null,
  };
  return summary.takenAt || summary.lat !== null || summary.device ? summary : null;
}
