/**
 * Badges: credit class (shared creditClassInfo colours), four-colour warning, and plain status
 * badges. The colour is never the only signal: every badge carries its text.
 */
import type { ReactNode } from 'react';
import {
  WARNING_COLOR_INFO,
  creditClassInfo,
  type CreditClass,
  type WarningColor,
} from '../../../shared/domain/credit.js';

export function CreditBadge({ cls }: { cls: CreditClass | null }) {
  if (!cls) return <span className="badge badge-muted">无分类</span>;
  const info = creditClassInfo(cls);
  return (
    <span
      className="badge"
      style={{ background: info.color, color: info.textColor }}
      title={info.label}
      aria-label={`信用风险分类 ${cls} 类（${info.label}）`}
    >
      {cls} 类
    </span>
  );
}

export function WarningBadge({ color }: { color: WarningColor | null }) {
  if (!color) return null;
  const info = WARNING_COLOR_INFO[color];
  return (
    <span className="badge" style={{ background: info.color, color: info.textColor }}>
      {info.label}
    </span>
  );
}

export type Tone = 'neutral' | 'info' | 'ok' | 'warn' | 'danger' | 'muted';

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Marks internal-only data: shown to inspectors, never published. */
export function InternalMark() {
  return <span className="internal-mark">内部信息，不公开</span>;
}
