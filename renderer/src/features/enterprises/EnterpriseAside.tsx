/**
 * The credit file's key facts beside the checklist: class and colour, open list entries,
 * penalties of the last 3 years (listed), past spot checks with failed items, commitments and
 * their status. Internal data marked.
 */
import type { Enterprise } from '../../../../shared/protocol/index.js';
import { chinaDate, addDays } from '../../../../shared/domain/dates.js';
import { CreditBadge, InternalMark, WarningBadge } from '../../ui/Badge.js';

export function EnterpriseAside({ e, now }: { e: Enterprise | null; now: Date }) {
  if (!e) return <p className="alert alert-info">本机没有该企业的信用档案。</p>;
  const threeYearsAgo = addDays(chinaDate(now), -3 * 365);
  const recentPenalties = e.penalties.filter((p) => p.date >= threeYearsAgo);
  const openAbnormal = e.abnormalList.filter((x) => !x.removeDate);
  const openSerious = e.seriousList.filter((x) => !x.removeDate);
  const unkept = e.commitments.filter((c) => c.status === '未履行');
  const checks = [...e.spotChecks].sort((a, b) => b.date.localeCompare(a.date));
  const lastCheck = checks[0];
  return (
    <aside className="aside card" aria-labelledby="aside-title">
      <h2 id="aside-title">企业情况</h2>
      <p className="aside-name">{e.name}</p>
      <div className="internal-box compact">
        <InternalMark />
        <p>
          <CreditBadge cls={e.internal.creditClass} /> <WarningBadge color={e.internal.warningColor} />
        </p>
        <p className="small">12345 投诉 {e.internal.complaints12345} 件</p>
      </div>
      <ul className="facts">
        <li className={e.status === '存续' ? '' : 'fact-bad'}>登记状态：{e.status}</li>
        <li className={openAbnormal.length ? 'fact-bad' : ''}>
          经营异常名录：{openAbnormal.length ? `在列 ${openAbnormal.length} 条` : '未列入'}
        </li>
        <li className={openSerious.length ? 'fact-bad' : ''}>
          严重违法失信：{openSerious.length ? `在列 ${openSerious.length} 条` : '未列入'}
        </li>
        <li className={recentPenalties.length ? 'fact-bad' : ''}>近三年行政处罚：{recentPenalties.length} 起</li>
        <li>上次检查：{lastCheck ? `${lastCheck.date} ${lastCheck.result}` : '无记录'}</li>
        <li className={unkept.length ? 'fact-bad' : ''}>未履行承诺：{unkept.length} 项</li>
      </ul>
      {openAbnormal.length > 0 ? (
        <>
          <h3 className="small">经营异常名录（在列）</h3>
          <ul className="aside-list">
            {openAbnormal.map((x) => (
              <li key={x.listDate + x.reason}>
                {x.listDate} {x.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {recentPenalties.length > 0 ? (
        <>
          <h3 className="small">近三年行政处罚</h3>
          <ul className="aside-list">
            {recentPenalties.map((p) => (
              <li key={p.decisionNo}>
                {p.date} {p.violationType}（{p.content}）
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {checks.length > 0 ? (
        <>
          <h3 className="small">以往抽查检查</h3>
          <ul className="aside-list">
            {checks.map((c) => (
              <li key={c.date + c.result}>
                {c.date} {c.type}：{c.result}
                {c.failedItems.length ? `（不符合 ${c.failedItems.join('、')}）` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {e.commitments.length > 0 ? (
        <>
          <h3 className="small">信用承诺</h3>
          <ul className="aside-list">
            {e.commitments.map((c) => (
              <li key={c.date + c.content} className={c.status === '未履行' ? 'fact-bad' : ''}>
                {c.date} {c.content}（{c.status}）
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </aside>
  );
}
