/**
 * The evidence of a finalized record: a thumbnail per photo or scan, or, once its original was
 * reclaimed, what stands in for it (the platform holds the bytes; the hash says which) instead of a
 * broken image. Signatures are shown with the signatures, not here.
 */
import { services } from '../../services/index.js';
import type { EvidenceFile } from '../../services/index.js';
import { formatDateTime } from '../../ui/format.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { useObjectUrl } from '../inspection/useObjectUrl.js';
import { formatBytes, reclaimedText } from './space-text.js';

function Item({ f }: { f: EvidenceFile }) {
  const reclaimed = f.reclaimedAt !== null;
  // A reclaimed original has no bytes: only its thumbnail (if any) can still be drawn.
  const src = useObjectUrl(f.thumbnail ?? (!reclaimed && f.mime.startsWith('image/') ? f.blob : null));
  return (
    <li className="evidence-card" data-testid="result-evidence" data-reclaimed={reclaimed ? 'yes' : 'no'}>
      {src ? <img className="evidence-thumb" src={src} alt={`证据 ${f.fileName}`} /> : null}
      <span className="small">
        {f.kind === 'scan' ? '扫描件' : '照片'} · {formatBytes(f.size)} · {formatDateTime(f.capturedAt)}
      </span>
      {reclaimed ? (
        <span className="small muted" title={f.sha256}>
          {reclaimedText(f.sha256)}
        </span>
      ) : (
        <span className="small muted mono" title={f.sha256}>
          SHA-256 {f.sha256.slice(0, 12)}…
        </span>
      )}
    </li>
  );
}

export function ResultEvidenceList({ resultId }: { resultId: string }) {
  const { data } = useServiceData(() => services.inspection.evidenceFor(resultId), null, [resultId]);
  const files = (data ?? []).filter((f) => f.kind !== 'signature');
  if (files.length === 0) return null;
  return (
    <div className="card">
      <h2 id="result-evidence-title">现场证据</h2>
      <ul className="evidence-grid" aria-labelledby="result-evidence-title">
        {files.map((f) => (
          <Item key={f.id} f={f} />
        ))}
      </ul>
    </div>
  );
}
