/**
 * zh-CN display formatting for dates, times, durations and rates. Pure; the clock is passed in
 * where "now" matters so the functions stay testable.
 */
import { chinaDate, diffDays, isValidIsoDate } from '../../../shared/domain/dates.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `HH:mm:ss` in the device's local time (the 已保存 stamp). */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `YYYY-MM-DD HH:mm` in local time, or — when absent. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  return isValidIsoDate(date) ? date : '—';
}

/** `约 2 分 5 秒`; null → 计算中. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '计算中';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `约 ${s} 秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `约 ${m} 分 ${s % 60} 秒`;
  return `约 ${Math.floor(m / 60)} 小时 ${m % 60} 分`;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '—';
  return `${perSecond >= 100 ? Math.round(perSecond).toLocaleString('zh-CN') : perSecond.toFixed(1)} 条/秒`;
}

export function formatMoney(yuan: number | null): string {
  if (yuan === null) return '—';
  return yuan >= 10_000
    ? `${(yuan / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`
    : `${yuan.toLocaleString('zh-CN')} 元`;
}

export type DueLevel = 'overdue' | 'soon' | 'normal';

/** Due-date urgency in calendar days (China date of `now`): overdue, within 3 days, or normal. */
export function dueLevel(dueDate: string, now: Date): { level: DueLevel; days: number } {
  if (!isValidIsoDate(dueDate)) return { level: 'normal', days: 0 };
  const days = diffDays(chinaDate(now), dueDate);
  if (days < 0) return { level: 'overdue', days };
  if (days <= 3) return { level: 'soon', days };
  return { level: 'normal', days };
}

export function dueText(dueDate: string, now: Date): string {
  const { level, days } = dueLevel(dueDate, now);
  if (level === 'overdue') return `已逾期 ${-days} 天`;
  if (days === 0) return '今天到期';
  if (level === 'soon') return `${days} 天后到期`;
  return '';
}

/** Registered capital is recorded in 万元 (units of ten thousand yuan). */
export function formatCapital(wan: number | null): string {
  if (wan === null) return '—';
  return `${wan.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`;
}
