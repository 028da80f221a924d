/**
 * Text formatting for printed documents: Chinese dates and times (always China Standard Time,
 * whatever the laptop's zone), document numbers, the verification link, and Chinese numerals
 * for numbered sections. Pure functions, no clock.
 */
import type { Verification } from './types.js';

const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** '2026-03-05' → '2026年3月5日'. */
export function formatDateCn(isoDate: string): string {
  const m = DATE_RE.exec(isoDate);
  if (!m) throw new Error(`日期格式不正确：${isoDate}（应为 YYYY-MM-DD）`);
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

interface CstParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function cstParts(isoDateTime: string): CstParts {
  const t = Date.parse(isoDateTime);
  if (Number.isNaN(t)) throw new Error(`时间格式不正确：${isoDateTime}`);
  const d = new Date(t + CST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** An instant as printed on a 笔录: '2026年3月5日9时05分' (Beijing time). */
export function formatDateTimeCn(isoDateTime: string): string {
  const p = cstParts(isoDateTime);
  return `${p.year}年${p.month}月${p.day}日${p.hour}时${pad2(p.minute)}分`;
}

/**
 * A time range on one line: the date is not repeated when both ends fall on the same day
 * ('2026年3月5日9时05分至10时40分').
 */
export function formatTimeRangeCn(fromIso: string, toIso: string): string {
  const a = cstParts(fromIso);
  const b = cstParts(toIso);
  const sameDay = a.year === b.year && a.month === b.month && a.day === b.day;
  const end = sameDay ? `${b.hour}时${pad2(b.minute)}分` : formatDateTimeCn(toIso);
  return `${formatDateTimeCn(fromIso)}至${end}`;
}

/** 'prefix〔year〕serial号' with the serial zero-padded, e.g. 温市监检通〔2026〕0012号. */
export function formatDocNo(prefix: string, year: number, serial: number, width = 4): string {
  if (!Number.isInteger(serial) || serial <= 0) throw new Error(`文书序号必须为正整数：${serial}`);
  return `${prefix}〔${year}〕${String(serial).padStart(width, '0')}号`;
}

/** The public verification link the QR code carries. */
export function verificationUrl(v: Verification): string {
  const base = v.platformUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({ result: v.resultId, hash: v.contentHash });
  return `${base}/public/verify?${query.toString()}`;
}

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 25 → 二十五 (section numbers up to 99). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new Error(`只支持1至99的序号：${n}`);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  const onesText = ones === 0 ? '' : (CN_DIGITS[ones] ?? '');
  if (tens === 0) return onesText;
  return `${tens === 1 ? '' : (CN_DIGITS[tens] ?? '')}十${onesText}`;
}

/** A checkbox mark the embedded font has a glyph for (☐/☑ are missing in Noto Sans SC). */
export function checkbox(checked: boolean): string {
  return checked ? '■' : '□';
}
