/**
 * The finalized record's signatures (with refusal and witness) and evidence list with time, place,
 * SHA-256 (a markup names its original's) and EXIF disagreements, read from the frozen payload
 * (what the content hash covers).
 */
import { clipText, mediaTimeText } from '../../../../shared/domain/media-clips.js';
import type { EvidenceRef, ResultPayload } from '../../../../shared/protocol/index.js';
import { formatDateTime } from '../../ui/format.js';
import { placeText } from './evidence-text.js';

const EVIDENCE_KIND_TEXT: Readonly<Record<EvidenceRef['kind'], string>> = {
  photo: '照片',
  scan: '扫描件',
  video: '录像',
  audio: '录音',
};

export function ResultExtras({ payload }: { payload: ResultPayload }) {
  const sigs = payload.signatures ?? [];
  const evidence = payload.evidence ?? [];
  if (sigs.length === 0 && evidence.length === 0) return null;
  return (
    <div className="card">
      <h3>签名与证据</h3>
      <ul data-testid="result-signatures">
        {sigs.map((s) => (
          <li key={s.slot}>
            {s.role === 'inspector'
              ? `检查人员 ${s.name}（执法证号 ${s.certNo ?? ''}）`
              : s.refused
                ? '当事人拒绝签名'
                : `当事人 ${s.name}（${s.post ?? ''}）`}
            {s.refused && s.witness ? `，见证人 ${s.witness.name}` : ''}
            {s.signedAt ? ` · ${formatDateTime(s.signedAt)} 签名` : ' · 未签名'}
          </li>
        ))}
      </ul>
      {evidence.length > 0 ? (
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">证据</th>
              <th scope="col">说明</th>
              <th scope="col">时间与地点</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {evidence.map((e, i) => (
              <tr key={e.id}>
                <td>
                  {e.annotationOf ? '标注照片' : EVIDENCE_KIND_TEXT[e.kind]} {i + 1}（{(e.size / 1024).toFixed(1)} KB）
                </td>
                <td>{e.caption || '—'}</td>
                <td className="small">
                  {formatDateTime(e.capturedAt)}
                  {e.media ? <div data-testid="result-media-time">{mediaTimeText(e.media)}</div> : null}
                  {e.media?.clips.map((c) => (
                    <div key={`${c.fromS}-${c.toS}`}>片段 {clipText(c)}</div>
                  ))}
                  {e.place ? <div>{placeText(e.place)}</div> : null}
                  {e.exifDifferences?.length ? (
                    <div className="field-error">EXIF 与采集记录不一致：{e.exifDifferences.join('；')}</div>
                  ) : null}
                </td>
                <td className="mono small">
                  {e.sha256.slice(0, 16)}…
                  {e.annotationOf ? <div>原件 {e.annotationOf.sha256.slice(0, 16)}…</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
