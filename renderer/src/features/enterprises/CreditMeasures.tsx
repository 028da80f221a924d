/**
 * Further credit-file sections: annual reports,
 * red/black lists with the joint rewards or punishments applied (联合奖惩), credit repair (信用修复)
 * and food-safety 黑榜 publications. Records from older feeds may lack them: shown as 无记录.
 */
import type { Enterprise } from '../../../../shared/protocol/index.js';
import { Badge } from '../../ui/Badge.js';
import { EnterpriseSection } from './EnterpriseSection.js';

const None = () => <p className="muted">无记录。</p>;

export function AnnualReports({ e }: { e: Enterprise }) {
  const list = e.annualReports ?? [];
  const missing = list.filter((r) => r.state === '未报送').length;
  return (
    <EnterpriseSection title="年度报告" count={list.length} alert={missing > 0}>
      {list.length === 0 ? (
        <None />
      ) : (
        <ul className="plain-list">
          {list.map((r) => (
            <li key={r.year}>
              {r.year} 年度：
              <Badge tone={r.state === '已报送' ? 'ok' : r.state === '逾期报送' ? 'warn' : 'danger'}>{r.state}</Badge>
              {r.filedDate ? <span className="muted"> {r.filedDate} 报送</span> : null}
            </li>
          ))}
        </ul>
      )}
    </EnterpriseSection>
  );
}

export function RedBlackList({ e }: { e: Enterprise }) {
  const list = e.redBlackList ?? [];
  const black = list.filter((x) => x.list === '黑名单' && !x.removeDate).length;
  return (
    <EnterpriseSection title="红黑名单与联合奖惩" count={list.length} alert={black > 0}>
      {list.length === 0 ? (
        <p className="muted">未列入红名单或黑名单。</p>
      ) : (
        <ul className="plain-list">
          {list.map((x, i) => (
            <li key={`${x.listDate}-${i}`}>
              <Badge tone={x.list === '黑名单' ? 'danger' : 'ok'}>{x.list}</Badge> {x.name} · {x.listDate} 列入：
              {x.reason}（{x.authority}）{x.removeDate ? <span className="muted"> · {x.removeDate} 移出</span> : null}
              {x.measures.length > 0 ? (
                <div className="muted">
                  {x.list === '黑名单' ? '联合惩戒' : '联合激励'}措施：{x.measures.join('；')}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </EnterpriseSection>
  );
}

export function CreditRepairs({ e }: { e: Enterprise }) {
  const list = e.creditRepairs ?? [];
  return (
    <EnterpriseSection title="信用修复" count={list.length}>
      {list.length === 0 ? (
        <None />
      ) : (
        <ul className="plain-list">
          {list.map((r, i) => (
            <li key={`${r.applyDate}-${i}`}>
              {r.applyDate} 申请{r.route}（{r.authority}）：
              <Badge tone={r.result === '已修复' ? 'ok' : r.result === '审核中' ? 'info' : 'danger'}>{r.result}</Badge>
              {r.decidedDate ? <span className="muted"> {r.decidedDate} 决定</span> : null}
            </li>
          ))}
        </ul>
      )}
    </EnterpriseSection>
  );
}

export function FoodBlacklist({ e }: { e: Enterprise }) {
  const list = e.foodBlacklist ?? [];
  return (
    <EnterpriseSection title="食品安全黑榜" count={list.length} alert={list.length > 0}>
      {list.length === 0 ? (
        <None />
      ) : (
        <ul className="plain-list">
          {list.map((b, i) => (
            <li key={`${b.publishDate}-${i}`}>
              {b.publishDate} {b.title}：{b.reason}（{b.authority}）
            </li>
          ))}
        </ul>
      )}
    </EnterpriseSection>
  );
}
