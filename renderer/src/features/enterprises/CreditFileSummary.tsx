/**
 * The enterprise's credit-file summary: registration basics, status, licences,
 * penalties, abnormal / serious-violation lists, past spot checks, commitments; the internal-only
 * part (class, warning colour, complaints) is boxed and marked 内部信息，不公开.
 */
import type { Enterprise } from '../../../../shared/protocol/index.js';
import { Badge, CreditBadge, InternalMark, WarningBadge } from '../../ui/Badge.js';
import { formatCapital, formatDate, formatMoney } from '../../ui/format.js';
import { EnterpriseSection } from './EnterpriseSection.js';
import { AnnualReports, CreditRepairs, FoodBlacklist, RedBlackList } from './CreditMeasures.js';

type ListEntry = Enterprise['abnormalList'][number];

function ListEntries({ entries, what }: { entries: readonly ListEntry[]; what: string }) {
  if (entries.length === 0) return <p className="muted">未列入{what}。</p>;
  return (
    <ul className="plain-list">
      {entries.map((e, i) => (
        <li key={`${e.listDate}-${i}`}>
          {e.removeDate ? <Badge tone="muted">已移出</Badge> : <Badge tone="danger">在列</Badge>} {e.listDate} 列入：
          {e.reason}（{e.authority}）
          {e.removeDate ? (
            <span className="muted">
              {' '}
              · {e.removeDate} 移出{e.removeReason ? `：${e.removeReason}` : ''}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function InternalBox({ e }: { e: Enterprise }) {
  const i = e.internal;
  return (
    <div className="internal-box" aria-label="内部信息，不公开">
      <InternalMark />
      <dl className="kv">
        <dt>信用风险分类</dt>
        <dd>
          <CreditBadge cls={i.creditClass} />
        </dd>
        <dt>风险预警</dt>
        <dd>
          <WarningBadge color={i.warningColor} />
        </dd>
        <dt>12345 投诉</dt>
        <dd>{i.complaints12345} 件</dd>
        {i.foodRiskLevel ? (
          <>
            <dt>食品风险等级</dt>
            <dd>{i.foodRiskLevel} 级</dd>
          </>
        ) : null}
        {i.seKeyUnit ? (
          <>
            <dt>特种设备</dt>
            <dd>重点监管单位</dd>
          </>
        ) : null}
        {i.responsibilityPoints !== null && i.responsibilityPoints !== undefined ? (
          <>
            <dt>履责积分</dt>
            <dd>{i.responsibilityPoints} 分</dd>
          </>
        ) : null}
        {i.lastVisit ? (
          <>
            <dt>最近现场检查</dt>
            <dd>{i.lastVisit}</dd>
          </>
        ) : null}
        {i.classHistory.length > 0 ? (
          <>
            <dt>分类历史（按月）</dt>
            <dd>{i.classHistory.map((h) => `${h.month} ${h.creditClass}`).join(' · ')}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

export function CreditFileSummary({ e }: { e: Enterprise }) {
  const openAbnormal = e.abnormalList.filter((x) => !x.removeDate).length;
  const openSerious = e.seriousList.filter((x) => !x.removeDate).length;
  return (
    <section className="credit-file" aria-labelledby="credit-file-title">
      <h2 id="credit-file-title">企业信用档案</h2>
      <InternalBox e={e} />
      <EnterpriseSection title="登记信息">
        <dl className="kv">
          <dt>名称</dt>
          <dd>{e.name}</dd>
          <dt>统一社会信用代码</dt>
          <dd className="mono">{e.uscc}</dd>
          <dt>登记状态</dt>
          <dd>
            <Badge tone={e.status === '存续' ? 'ok' : 'danger'}>{e.status}</Badge>
          </dd>
          <dt>类型</dt>
          <dd>{e.entType}</dd>
          <dt>法定代表人</dt>
          <dd>{e.legalRep}</dd>
          <dt>注册资本</dt>
          <dd>{formatCapital(e.regCapital)}</dd>
          <dt>成立日期</dt>
          <dd>{formatDate(e.establishDate)}</dd>
          <dt>登记机关</dt>
          <dd>{e.regAuthority}</dd>
          <dt>住所</dt>
          <dd>{e.address}</dd>
          <dt>联系电话</dt>
          <dd>{e.phone || '—'}</dd>
          <dt>经营范围</dt>
          <dd className="scope">{e.businessScope}</dd>
        </dl>
      </EnterpriseSection>
      <EnterpriseSection title="行政许可" count={e.licences.length}>
        {e.licences.length === 0 ? (
          <p className="muted">无。</p>
        ) : (
          <ul className="plain-list">
            {e.licences.map((l) => (
              <li key={l.no}>
                {l.name} <span className="mono">{l.no}</span> · 有效期 {l.validFrom} 至 {l.validTo ?? '长期'}（
                {l.issuer}）
              </li>
            ))}
          </ul>
        )}
      </EnterpriseSection>
      <EnterpriseSection title="行政处罚" count={e.penalties.length} alert={e.penalties.length > 0}>
        {e.penalties.length === 0 ? (
          <p className="muted">无。</p>
        ) : (
          <ul className="plain-list">
            {e.penalties.map((p) => (
              <li key={p.decisionNo}>
                {p.date} <span className="mono">{p.decisionNo}</span>：{p.violationType}，{p.content}
                {p.fine > 0 ? `，罚款 ${formatMoney(p.fine)}` : ''}（{p.authority}）
              </li>
            ))}
          </ul>
        )}
      </EnterpriseSection>
      <EnterpriseSection title="经营异常名录" count={openAbnormal} alert={openAbnormal > 0}>
        <ListEntries entries={e.abnormalList} what="经营异常名录" />
      </EnterpriseSection>
      <EnterpriseSection title="严重违法失信名单" count={openSerious} alert={openSerious > 0}>
        <ListEntries entries={e.seriousList} what="严重违法失信名单" />
      </EnterpriseSection>
      <EnterpriseSection title="以往抽查检查" count={e.spotChecks.length}>
        {e.spotChecks.length === 0 ? (
          <p className="muted">无记录。</p>
        ) : (
          <ul className="plain-list">
            {e.spotChecks.map((s, i) => (
              <li key={`${s.date}-${i}`}>
                {s.date} {s.type}（{s.authority}）：{s.result}
                {s.failedItems.length > 0 ? (
                  <span className="text-danger">（不符合事项 {s.failedItems.join('、')}）</span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </EnterpriseSection>
      <EnterpriseSection title="特种设备" count={e.specialEquipment.length}>
        {e.specialEquipment.length === 0 ? (
          <p className="muted">无使用登记。</p>
        ) : (
          <ul className="plain-list">
            {e.specialEquipment.map((d) => (
              <li key={d.regNo}>
                {d.type} <span className="mono">{d.regNo}</span> · 下次检验 {d.nextInspectionDue}
              </li>
            ))}
          </ul>
        )}
      </EnterpriseSection>
      <AnnualReports e={e} />
      <RedBlackList e={e} />
      <CreditRepairs e={e} />
      <FoodBlacklist e={e} />
      <EnterpriseSection
        title="信用承诺"
        count={e.commitments.length}
        alert={e.commitments.some((c) => c.status === '未履行')}
      >
        {e.commitments.length === 0 ? (
          <p className="muted">无。</p>
        ) : (
          <ul className="plain-list">
            {e.commitments.map((c, i) => (
              <li key={`${c.date}-${i}`}>
                {c.date} {c.type}：{c.content}{' '}
                <Badge tone={c.status === '未履行' ? 'danger' : c.status === '已履行' ? 'ok' : 'info'}>
                  {c.status}
                </Badge>
              </li>
            ))}
          </ul>
        )}
      </EnterpriseSection>
    </section>
  );
}
