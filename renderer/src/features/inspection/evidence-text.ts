/**
 * How an evidence item's place, clock and EXIF read on screen and in the printed record (zh-CN).
 * The registered address is always marked as such: it says where the inspection was meant to be,
 * not where the device was.
 */
import type { EvidencePlace, ExifSummary } from '../../../../shared/domain/evidence-meta.js';
import { formatDateTime } from '../../ui/format.js';

function coord(v: number, pos: string, neg: string): string {
  return `${v >= 0 ? pos : neg} ${Math.abs(v).toFixed(5)}°`;
}

export function placeText(place: EvidencePlace | undefined): string {
  if (!place) return '未记录位置';
  if (place.source === 'geolocation')
    return `定位 ${coord(place.lat, '北纬', '南纬')}，${coord(place.lon, '东经', '西经')}（精度 ±${Math.round(place.accuracyM)} 米）`;
  const why = place.reason === 'denied' ? '未允许定位' : '未能定位';
  return `企业登记地址（${why}，非现场定位）：${place.address || '（档案中无地址）'}`;
}

function span(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 120) return `${s} 秒`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} 分钟` : `${Math.round(m / 60)} 小时`;
}

/** skewMs is platform − device: positive means the device clock is behind. */
export function clockText(skewMs: number | null | undefined): string {
  if (skewMs === undefined) return '';
  if (skewMs === null) return '与平台时钟的偏差未知（本次未联网登录）';
  if (Math.abs(skewMs) < 1000) return '本机时钟与平台一致';
  return `本机时钟比平台${skewMs > 0 ? '慢' : '快'} ${span(skewMs)}`;
}

export function exifText(exif: ExifSummary | null | undefined): string {
  if (exif === undefined) return '';
  if (exif === null) return '照片无 EXIF 信息';
  const parts = [
    exif.takenAt ? `拍摄于 ${formatDateTime(exif.takenAt)}` : null,
    exif.lat !== null && exif.lon !== null
      ? `GPS ${coord(exif.lat, '北纬', '南纬')}，${coord(exif.lon, '东经', '西经')}`
      : null,
    exif.device ? `设备 ${exif.device}` : null,
  ].filter((x): x is string => x !== null);
  return `EXIF：${parts.join('；')}`;
}
