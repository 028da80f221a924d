/**
 * Dates as an inspector types them: 2026-11-22, 2026/11/22, 2026.11.22, 20261122 or
 * 2026年11月22日, with full-width digits from a Chinese IME too, all read as the ISO date the
 * record stores (YYYY-MM-DD). Pure; used by DateInput instead of <input type=date>, whose
 * mm/dd/yyyy display follows the browser's UI language rather than the inspector's.
 */
import { isValidIsoDate } from '../../../shared/domain/dates.js';

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

/** Full-width digits and separators (０-９, ／, －, ．) as ASCII. */
function halfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** The ISO date the text names, or null when it names none (empty, partial or impossible like 2026-02-30). */
export function parseDateText(text: string): string | null {
  const t = halfWidth(text).trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return null;
  const iso = `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`;
  return isValidIsoDate(iso) ? iso : null;
}

/** 2026年11月22日 星期日, for the hint beside a date field (the value itself stays YYYY-MM-DD). */
export function longDate(iso: string): string {
  if (!isValidIsoDate(iso)) return '';
  const [y, mo, d] = iso.split('-').map(Number) as [number, number, number];
  const weekday = WEEKDAYS[new Date(Date.UTC(y, mo - 1, d)).getUTCDay()] ?? '';
  return `${y}年${mo}月${d}日 ${weekday}`;
}
