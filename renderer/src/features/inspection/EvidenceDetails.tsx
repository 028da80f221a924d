/**
 * An evidence card's details: where and by which clock the file was taken, what a photo's EXIF says
 * (disagreements shown, never hidden), and a link to the exact stored bytes.
 */
import type { EvidenceFile } from '../../services/index.js';
import { clockText, exifText, placeText } from './evidence-text.js';
import { useObjectUrl } from './useObjectUrl.js';

/** Where and by which clock it was taken, and what a photo's EXIF says; disagreements are shown, not hidden. */
export function EvidenceWhere({ file: f }: { file: EvidenceFile }) {
  const clock = clockText(f.clockSkewMs);
  const exif = exifText(f.exif);
  return (
    <>
      {f.place ? (
        <span
          className={`small ${f.place.source === 'geolocation' ? '' : 'evidence-address'}`}
          data-testid="evidence-place"
        >
          {placeText(f.place)}
        </span>
      ) : null}
      {clock ? (
        <span className="small muted" data-testid="evidence-clock">
          {clock}
        </span>
      ) : null}
      {exif ? (
        <span className="small muted" data-testid="evidence-exif">
          {exif}
        </span>
      ) : null}
      {f.exifDifferences.length > 0 ? (
        // Not a list: the evidence grid's list items are the evidence items themselves.
        <span className="small field-error" data-testid="evidence-exif-differences">
          EXIF 与采集记录不一致：{f.exifDifferences.join('；')}
        </span>
      ) : null}
    </>
  );
}

/** The file itself, to look at in full or keep a copy: exactly the stored bytes. */
export function OriginalLink({ file }: { file: EvidenceFile }) {
  const href = useObjectUrl(file.blob);
  if (!href) return null;
  return (
    <a className="small" href={href} download={file.fileName} data-testid="evidence-file">
      下载原文件
    </a>
  );
}
