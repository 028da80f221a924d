/**
 * An autosave indicator (aria-live): 已保存 HH:mm:ss only after the save resolved, so the inspector is
 * never told something is kept before it is. Shared by the inspection form and the document forms.
 */
import { formatClock } from './format.js';

export type SaveStatus =
  | { readonly kind: 'idle' }
  | { readonly kind: 'dirty' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'saved'; readonly savedAt: string }
  | { readonly kind: 'error'; readonly message: string };

export function SaveStatusText({
  status,
  idleText,
  testId,
  asStatus = false,
}: {
  status: SaveStatus;
  /** What it says before the first change. */
  idleText: string;
  testId: string;
  /** role=status, where the screen has no other live status to confuse it with. */
  asStatus?: boolean;
}) {
  let text: string;
  let cls = 'save-status';
  switch (status.kind) {
    case 'idle':
      text = idleText;
      break;
    case 'dirty':
      text = '有修改，即将保存…';
      break;
    case 'saving':
      text = '正在保存…';
      break;
    case 'saved':
      text = `已保存 ${formatClock(status.savedAt)}`;
      cls += ' save-ok';
      break;
    case 'error':
      text = `保存失败：${status.message}（内容仍在页面上，正在重试）`;
      cls += ' save-error';
      break;
  }
  return (
    <p className={cls} aria-live="polite" data-testid={testId} {...(asStatus ? { role: 'status' } : {})}>
      {text}
    </p>
  );
}
