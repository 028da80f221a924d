/**
 * 企业检索: search the cached credit files as inspectors do — any fragment of the name (海润 from
 * the middle), USCC or its prefix, legal representative, address fragment — filtered by credit
 * class, warning colour, status and region, ranked, answered as the user types (the index lives in
 * a Web Worker; only the latest answer is shown).
 */
import '../../styles/enterprises.css';
import { useEffect, useRef, useState } from 'react';
import {
  CREDIT_CLASSES,
  WARNING_COLORS,
  WARNING_COLOR_INFO,
  type CreditClass,
  type WarningColor,
} from '../../../../shared/domain/credit.js';
import { ENTERPRISE_STATUSES, type Enterprise } from '../../../../shared/protocol/index.js';
import { services } from '../../services/index.js';
import type { EnterpriseSearchAnswer, EnterpriseSearchFilters } from '../../services/index.js';
import { Badge, CreditBadge, WarningBadge } from '../../ui/Badge.js';
import { formatRoute } from '../../state/routes.js';
import { LicenceScan } from './LicenceScan.js';

const REGIONS: readonly (readonly [string, string])[] = [
  ['371002', '环翠区'],
  ['371003', '文登区'],
  ['371082', '荣成市'],
  ['371083', '乳山市'],
];
const MATCH_LABEL = {
  uscc: '信用代码',
  name: '名称',
  legalRep: '法定代表人',
  address: '地址',
  filter: '筛选',
} as const;

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((x) => x !== value) : [...list, value];
}

function useSearch(
  query: string,
  filters: EnterpriseSearchFilters,
): { answer: EnterpriseSearchAnswer | null; error: string | null } {
  const [answer, setAnswer] = useState<EnterpriseSearchAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(0);
  const key = JSON.stringify([query, filters]);
  // The index changes under the screen (a sync's changes become searchable): the question is asked
  // again, so an answer given just before does not stay on screen.
  const [indexVersion, setIndexVersion] = useState(0);
  useEffect(() => services.enterprises.onSearchIndex(() => setIndexVersion((v) => v + 1)), []);
  useEffect(() => {
    const ticket = ++latest.current;
    const [q, f] = JSON.parse(key) as [string, EnterpriseSearchFilters];
    services.enterprises.search(q, f, 50).then(
      (a) => {
        if (ticket === latest.current) {
          setAnswer(a);
          setError(null);
        }
      },
      (e: unknown) => {
        if (ticket === latest.current) setError(e instanceof Error ? e.message : String(e));
      },
    );
  }, [key, indexVersion]);
  return { answer, error };
}

export function EnterpriseSearchScreen() {
  const [query, setQuery] = useState('');
  const [classes, setClasses] = useState<CreditClass[]>([]);
  const [colors, setColors] = useState<WarningColor[]>([]);
  const [statuses, setStatuses] = useState<Enterprise['status'][]>([]);
  const [regions, setRegions] = useState<string[]>([]);
  const { answer, error } = useSearch(query, { creditClasses: classes, warningColors: colors, statuses, regions });
  return (
    <section className="enterprise-search">
      <h1>企业检索</h1>
      <label className="field">
        <span>名称片段、统一社会信用代码、法定代表人或地址</span>
        <input
          type="search"
          value={query}
          autoFocus
          placeholder="例如：海润、91371002、张伟、统一路"
          onChange={(ev) => setQuery(ev.target.value)}
        />
      </label>
      <LicenceScan />
      <fieldset className="chips">
        <legend>信用风险分类</legend>
        {CREDIT_CLASSES.map((c) => (
          <label key={c}>
            <input type="checkbox" checked={classes.includes(c)} onChange={() => setClasses(toggle(classes, c))} /> {c}{' '}
            类
          </label>
        ))}
      </fieldset>
      <fieldset className="chips">
        <legend>预警颜色</legend>
        {WARNING_COLORS.map((c) => (
          <label key={c}>
            <input type="checkbox" checked={colors.includes(c)} onChange={() => setColors(toggle(colors, c))} />{' '}
            {WARNING_COLOR_INFO[c].label}
          </label>
        ))}
      </fieldset>
      <fieldset className="chips">
        <legend>登记状态</legend>
        {ENTERPRISE_STATUSES.map((s) => (
          <label key={s}>
            <input type="checkbox" checked={statuses.includes(s)} onChange={() => setStatuses(toggle(statuses, s))} />{' '}
            {s}
          </label>
        ))}
      </fieldset>
      <fieldset className="chips">
        <legend>辖区</legend>
        {REGIONS.map(([code, label]) => (
          <label key={code}>
            <input
              type="checkbox"
              checked={regions.includes(code)}
              onChange={() => setRegions(toggle(regions, code))}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      {error ? (
        <p className="alert alert-danger" role="alert">
          {error}
        </p>
      ) : null}
      <p role="status" className="muted">
        {answer === null
          ? '正在准备检索…'
          : answer.indexed === 0
            ? '本机尚无企业档案，请先同步。'
            : query.trim() === '' && answer.total === 0
              ? `已缓存 ${answer.indexed} 户企业档案，输入关键词或选择筛选条件。`
              : `找到 ${answer.total} 户（显示前 ${answer.hits.length} 户，用时 ${answer.tookMs.toFixed(1)} 毫秒）`}
      </p>
      <ol className="search-results">
        {answer?.hits.map((h) => (
          <li key={h.uscc}>
            <a href={formatRoute({ name: 'enterprise', uscc: h.uscc })}>{h.name}</a> <CreditBadge cls={h.creditClass} />{' '}
            <WarningBadge color={h.warningColor} />{' '}
            {h.status !== '存续' ? <Badge tone="danger">{h.status}</Badge> : null}
            <div className="muted">
              <span className="mono">{h.uscc}</span> · {h.legalRep} · {h.address}{' '}
              <Badge tone="muted">匹配：{MATCH_LABEL[h.matchedIn]}</Badge>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
