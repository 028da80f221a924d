/**
 * The credit file's header: name, USCC, status, and the risk class and warning colour large and
 * first (internal data, marked 内部信息，不公开), so the inspector sees the risk at a glance. The
 * credit class and the four-colour warning are separate measures, each under its own label; only
 * food and special-equipment units carry a warning colour, so for others none is shown.
 */
import type { Enterprise } from '../../../../shared/protocol/index.js';
import { Badge, CreditBadge, InternalMark, WarningBadge } from '../../ui/Badge.js';
import { UsccCheck } from '../../ui/UsccCheck.js';

export function RiskBanner({ e }: { e: Enterprise }) {
  const openLists =
    e.abnormalList.filter((x) => !x.removeDate).length +
    e.seriousList.filter((x) => !x.removeDate).length +
    (e.redBlackList ?? []).filter((x) => x.list === '黑名单' && !x.removeDate).length;
  return (
    <header className={`risk-banner risk-${e.internal.warningColor ?? 'none'}`} aria-label="风险概览">
      <div className="risk-title">
        <h1>{e.name}</h1>
        <p className="mono">{e.uscc}</p>
        <Badge tone={e.status === '存续' ? 'ok' : 'danger'}>{e.status}</Badge>
        {openLists > 0 ? <Badge tone="danger">在列名单 {openLists} 项</Badge> : null}
        <UsccCheck uscc={e.uscc} />
      </div>
      <div className="risk-badges">
        <span className="risk-measure" data-testid="credit-class">
          <span className="small muted">信用风险分类</span> <CreditBadge cls={e.internal.creditClass} />
        </span>
        {e.internal.warningColor ? (
          <span className="risk-measure" data-testid="warning-color">
            <span className="small muted">四色预警</span> <WarningBadge color={e.internal.warningColor} />
          </span>
        ) : null}
        <InternalMark />
      </div>
    </header>
  );
}
