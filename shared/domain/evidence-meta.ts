/**
 * Where and when a piece of evidence was taken, and how an imported photo's own EXIF compares.
 *
 * Place: the device's geolocation fix with its accuracy when the inspector allowed it; otherwise the
 * enterprise's registered address, marked as such (it says where the inspection was meant to be,
 * not where the device was). Time: the device clock at capture, with the platform clock's offset
 * (platform − device, from the last token issue) so a wrong laptop clock can be corrected later.
 * EXIF is what the photo file says about itself; differences from the capture record are listed in
 * words for the record and the screen, never dropped.
 */

export interface GeoFix {
  readonly lat: number;
  readonly lon: number;
  /** Radius of the 95 % circle in metres, as the device reports it. */
  readonly accuracyM: number;
  /** ISO instant of the fix (device clock). */
  readonly fixedAt: string;
}

export type EvidencePlace =
  | ({ readonly source: 'geolocation' } & GeoFix)
  | {
      readonly source: 'registered-address';
      readonly address: string;
      /** Why there is no fix: the inspector (or the OS) refused, or the device could not get one. */
      readonly reason: 'denied' | 'unavailable';
    };

export interface ExifSummary {
  /** DateTimeOriginal as an ISO instant (EXIF has no zone unless OffsetTime is set: read as device-local). */
  readonly takenAt: string | null;
  readonly lat: number | null;
  readonly lon: number | null;
  /** Camera make and model, e.g. "HUAWEI ELS-AN00". */
  readonly device: string | null;
}

/** Imported photos are often taken a little before they are added; more than this is worth saying. */
export const EXIF_TIME_TOLERANCE_MS = 10 * 60 * 1000;
/** Below this, two positions are the same place for a shop-floor inspection. */
export const EXIF_PLACE_TOLERANCE_M = 200;

/** Great-circle distance in metres (haversine; ample for distances of a few km). */
export function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function minutes(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  if (m >= 2 * 24 * 60) return `${Math.round(m / (24 * 60))} 天`;
  return m >= 120 ? `${Math.round(m / 60)} 小时` : `${m} 分钟`;
}

/** How the photo's EXIF disagrees with the capture record, in words; empty when it agrees or says nothing. */
export function exifDifferences(
  exif: ExifSummary | null | undefined,
  capture: { readonly capturedAt: string; readonly place: EvidencePlace | null | undefined },
): string[] {
  if (!exif) return [];
  const out: string[] = [];
  if (exif.takenAt) {
    const gap = Date.parse(capture.capturedAt) - Date.parse(exif.takenAt);
    if (Math.abs(gap) > EXIF_TIME_TOLERANCE_MS)
      out.push(`照片自带的拍摄时间比保存时间${gap > 0 ? '早' : '晚'} ${minutes(gap)}`);
  }
  if (exif.lat !== null && exif.lon !== null) {
    const place = capture.place;
    if (place?.source === 'geolocation') {
      const d = distanceM({ lat: exif.lat, lon: exif.lon }, place);
      if (d > Math.max(EXIF_PLACE_TOLERANCE_M, 2 * place.accuracyM))
        out.push(
          `照片自带的 GPS 位置与采集时的定位相距约 ${d >= 1000 ? `${(d / 1000).toFixed(1)} 公里` : `${Math.round(d)} 米`}`,
        );
    } else {
      out.push('照片自带 GPS 位置，但采集时没有定位（记录的是登记地址），无法核对');
    }
  }
  return out;
}
