/**
 * The finalized, read-only result: items with outcomes and findings, result codes, methods,
 * follow-ups, the content hash, the publication deadline and the upload state.
 */
import type { Task } from '../../../../shared/protocol/index.js';
import {
  CHECK_METHOD_LABELS,
  FINDING_HANDLING_LABELS,
  FOLLOW_UP_LABELS,
  ITEM_OUTCOME_LABELS,
  RESULT_CODE_LABELS,
} from '../../../../shared/domain/results.js';
import { services } from '../../services/index.js';
import type { StoredResult } from '../../services/index.js';
import { Badge } from '../../ui/Badge.js';
import { formatDateTime } from '../../ui/format.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { OUTBOX_STATE_LABELS, OUTBOX_STATE_TONES } from '../outbox/outbox-text.js';
import { ResultEvidenceList } from '../storage/ResultEvidenceList.js';
import { ResultExtras } from './ResultExtras.js';
import { publicationDeadlineOf } from './result-text.js';

const OUTCOME_TONES = { pass: 'ok', fail: 'danger', na: 'muted', unchecked: 'warn' } as const;

function UploadState({ resultId }: { resultId: string }) {
  const { data } = useServiceData(
    () => services.outbox.list(),
    (l) => services.outbox.subscribe(l),
    [],
  );
  const entry = data?.find((e) => e.resultId === resultId);
  if (!entry) return <span className="muted">—</span>;
  return (
    <span>
      <Badge tone={OUTBOX_STATE_TONES[entry.state]}>{OUTBOX_STATE_LABELS[entry.state]}</Badge>{' '}
      <a href="#/outbox">查看上传状态</a>
    </span>
  );
}

export function ResultView({ task, result }: { task: Task; result: StoredResult }) {
  const p = result.payload;
  const names = new Map([
    ...task.items.map((it) => [it.code, it.name] as const),
    ...(p.templateItems ?? []).map((t) => [t.code, t.name] as const),
  ]);
  return (
    <section className="result-view" aria-labelledby="result-view-title">
      <div className="card locked-banner">
        <h2 id="result-view-title">检查结果（已锁定）</h2>
        <dl className="kv">
          <dt>检查日期</dt>
          <dd>{p.inspectedOn}</dd>
          <dt>锁定时间</dt>
          <dd>{formatDateTime(result.finalizedAt)}</dd>
          <dt>公示截止日期</dt>
          <dd data-testid="publication-deadline">{publicationDeadlineOf(result)}</dd>
          <dt>内容摘要（SHA-256）</dt>
          <dd className="mono hash" data-testid="content-hash">
            {result.contentHash}
          </dd>
          <dt>上传状态</dt>
          <dd>
            <UploadState resultId={result.resultId} />
          </dd>
          {result.receipt ? (
            <>
              <dt>平台接收时间</dt>
              <dd>{formatDateTime(result.receipt.receivedAt)}</dd>
            </>
          ) : null}
          {p.replaces ? (
            <>
              <dt>更正记录</dt>
              <dd>替代 {p.replaces}</dd>
            </>
          ) : null}
          {p.usccCheck ? (
            <>
              <dt>统一社会信用代码核对</dt>
              <dd data-testid="uscc-check">
                {p.usccCheck.note}
                <span className="muted small">（校验异常：{p.usccCheck.issue}）</span>
              </dd>
            </>
          ) : null}
        </dl>
      </div>
      <div className="card">
        <h3>检查结果</h3>
        <p>
          {p.resultCodes.map((c) => (
            <Badge key={c} tone={c === 'NO_PROBLEM' ? 'ok' : 'warn'}>
              {RESULT_CODE_LABELS[c]}
            </Badge>
          ))}
        </p>
        <dl className="kv">
          <dt>核查方式</dt>
          <dd>{p.checkMethods.map((m) => CHECK_METHOD_LABELS[m]).join('、') || '—'}</dd>
          <dt>后续处置措施</dt>
          <dd>{p.followUps.map((f) => FOLLOW_UP_LABELS[f]).join('、') || '—'}</dd>
          <dt>发现问题情况</dt>
          <dd className="pre">{p.findings || '—'}</dd>
        </dl>
      </div>
      <div className="card">
        <h3>检查事项</h3>
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">事项</th>
              <th scope="col">结果</th>
              <th scope="col">问题与处理</th>
              <th scope="col">备注</th>
            </tr>
          </thead>
          <tbody>
            {p.itemResults.map((r) => (
              <tr key={r.itemCode}>
                <td>{names.get(r.itemCode) ?? r.itemCode}</td>
                <td>
                  <Badge tone={OUTCOME_TONES[r.outcome]}>{ITEM_OUTCOME_LABELS[r.outcome]}</Badge>
                </td>
                <td>
                  {r.finding ? (
                    <>
                      {r.finding.description}
                      <div className="small muted">
                        {r.finding.severity === 'key' ? '重点事项' : '一般事项'} ·{' '}
                        {FINDING_HANDLING_LABELS[r.finding.handling]}
                        {r.finding.rectifyDeadline ? ` · 整改期限 ${r.finding.rectifyDeadline}` : ''}
                        {r.finding.legalBasis ? ` · 依据：${r.finding.legalBasis}` : ''}
                      </div>
                      {r.finding.lenient ? (
                        <div className="small" data-testid="lenient-decision">
                          免罚清单 {r.finding.lenient.code}：
                          {r.finding.lenient.applied ? '适用不予处罚（已责令改正）' : '不适用'}
                          {r.finding.lenient.reason ? `（${r.finding.lenient.reason}）` : ''}
                        </div>
                      ) : null}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{r.note || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ResultExtras payload={p} />
      <ResultEvidenceList resultId={result.resultId} />
    </section>
  );
}
