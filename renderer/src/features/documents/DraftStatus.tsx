/** The document form's save indicator (role=status): 已保存 HH:mm:ss only after the draft committed. */
import { formatClock } from '../../ui/format.js';
import type { DraftStatus } from './useFormDraft.js';

export function DraftStatusText({ status }: { status: DraftStatus }) {
  let text: string;
  let cls = 'save-status';
  switch (status.kind) {
    case 'idle':
      text = '填写内容会自动保存在本机';
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
    <p className={cls} role="status" aria-live="polite" data-testid="draft-status">
      {text}
    </p>
  );
}
