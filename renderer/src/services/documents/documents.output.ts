/**
 * Printing and saving a document's PDF. In Electron: the IPC contract's `printPdf`
 * (hidden sandboxed window, system print dialog) and `savePdf` (save dialog). In the browser
 * build: the PDF in a hidden iframe whose own print dialog opens (a new tab if that is refused),
 * and a download link. Nothing here needs the network: the bytes are already on the device.
 */
import { bridge } from '../../platform/adapter.js';
import type { OutputOutcome } from '../api.js';

/** A file name without characters Windows or the dialogs reject: `现场检查笔录-威环市监现笔〔2026〕0001号.pdf`. */
export function pdfFileName(title: string, docNo: string): string {
  return `${title}-${docNo}`.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 110) + '.pdf';
}

/** A copy on a plain ArrayBuffer (what Blob and the IPC schema take). */
function plain(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

function pdfBlob(bytes: Uint8Array): Blob {
  return new Blob([plain(bytes)], { type: 'application/pdf' });
}

function browserPrint(bytes: Uint8Array): OutputOutcome {
  const url = URL.createObjectURL(pdfBlob(bytes));
  const frame = document.createElement('iframe');
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  frame.setAttribute('aria-hidden', 'true');
  frame.title = '打印';
  frame.addEventListener('load', () => {
    try {
      frame.contentWindow?.focus();
      frame.contentWindow?.print();
    } catch {
      window.open(url, '_blank', 'noopener');
    }
    // Keep the frame long enough for the dialog to take the document, then release it.
    setTimeout(() => {
      frame.remove();
      URL.revokeObjectURL(url);
    }, 60_000);
  });
  frame.src = url;
  document.body.append(frame);
  return { ok: true, done: true, message: '已打开浏览器的打印对话框' };
}

function browserSave(bytes: Uint8Array, fileName: string): OutputOutcome {
  const url = URL.createObjectURL(pdfBlob(bytes));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { ok: true, done: true, message: `已下载 ${fileName}` };
}

export async function printPdf(bytes: Uint8Array, title: string): Promise<OutputOutcome> {
  const api = bridge();
  if (!api) return browserPrint(bytes);
  const res = await api.printPdf({ bytes: plain(bytes), title: title.slice(0, 120) });
  if (!res.ok) return { ok: false, message: `打印失败：${res.error.message}` };
  return res.value.printed
    ? { ok: true, done: true, message: '已发送到打印机' }
    : { ok: true, done: false, message: res.value.reason ?? '已取消打印' };
}

export async function savePdf(bytes: Uint8Array, fileName: string): Promise<OutputOutcome> {
  const api = bridge();
  if (!api) return browserSave(bytes, fileName);
  const res = await api.savePdf({ bytes: plain(bytes), suggestedName: fileName });
  if (!res.ok) return { ok: false, message: `保存失败：${res.error.message}` };
  return res.value.saved
    ? { ok: true, done: true, message: `已保存到 ${res.value.path ?? ''}` }
    : { ok: true, done: false, message: '已取消保存' };
}
