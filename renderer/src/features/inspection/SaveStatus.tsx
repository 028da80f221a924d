/** The autosave indicator (aria-live): 已保存 HH:mm:ss only after the save resolved. */
import { formatClock } from '../../ui/format.js';
import type { SaveStatus } from './useAutosave.js';

export function SaveStatusText({ status }: { status: SaveStatus }) {
  let text: string;
  let cls = 'save-status';
  switch (status.kind) {
    case 'idle':
      text = '已打开草稿，修改会自动保存';
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
    <p className={cls} aria-live="polite" data-testid="save-status">
      {text}
    </p>
  );
}
