/**
 * Flags an irregular 统一社会信用代码 wherever an enterprise is shown. Real registers hold a few
 * codes that fail the GB 32100 check (DOMAIN.md §3), so the platform may send one: the app never
 * accepts it silently; it tells the inspector what is wrong and to compare it with the licence.
 */
import { usccIrregularity } from '../../../shared/domain/uscc.js';

export const usccIssue = usccIrregularity;

export function UsccCheck({ uscc }: { uscc: string }) {
  const issue = usccIssue(uscc);
  if (!issue) return null;
  return (
    <p className="alert alert-warn" role="alert" data-testid="uscc-issue">
      统一社会信用代码校验异常：{issue}。请现场与营业执照原件核对，并在检查记录中注明。
    </p>
  );
}
