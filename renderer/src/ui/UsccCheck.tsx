/**
 * Flags an irregular 统一社会信用代码 wherever an enterprise is shown. Real registers hold a few
 * codes that fail the GB 32100 check, so the platform may send one: the app never
 * accepts it silently. A failed check is recorded in the inspection (营业执照核对说明, required to
 * lock); the position-17 check (GB 11714) is advisory and only asks for a look at the licence.
 */
import { orgCodeWarning, usccCheckFailure } from '../../../shared/domain/uscc.js';

export function UsccCheck({ uscc }: { uscc: string }) {
  const failure = usccCheckFailure(uscc);
  const advisory = failure ? null : orgCodeWarning(uscc.trim().toUpperCase());
  if (!failure && !advisory) return null;
  return (
    <p className="alert alert-warn" role="alert" data-testid="uscc-issue">
      {failure
        ? `统一社会信用代码校验异常：${failure}。请现场与营业执照原件核对，并在检查表的“营业执照核对说明”中注明。`
        : `统一社会信用代码辅助校验提示：${advisory}。请现场与营业执照原件核对。`}
    </p>
  );
}
