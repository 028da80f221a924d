/**
 * Picking and saving USB bundle files in either build, so every bundle screen (results, receipts,
 * station data) uses one path. Electron: main shows the native open/save dialog and reads or writes
 * the file itself (the renderer never names a path). Browser: a download (Blob + <a download>) and a
 * file input. Window thread only (dialogs and the DOM).
 */
import { bridge } from './adapter.js';

export type PickedBundle =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly name: string }
  | { readonly ok: false; readonly cancelled: boolean; readonly message: string };

export type SavedBundle =
  | { readonly ok: true; readonly saved: boolean; readonly message: string }
  | { readonly ok: false; readonly message: string };

function browserPick(): Promise<PickedBundle> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.sibundle,application/octet-stream';
    input.hidden = true;
    const done = (out: PickedBundle): void => {
      input.remove();
      resolve(out);
    };
    input.addEventListener('cancel', () => done({ ok: false, cancelled: true, message: '已取消选择' }));
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return done({ ok: false, cancelled: true, message: '已取消选择' });
      file.arrayBuffer().then(
        (buf) => done({ ok: true, bytes: new Uint8Array(buf), name: file.name }),
        (e: unknown) => done({ ok: false, cancelled: false, message: `无法读取文件：${String(e)}` }),
      );
    });
    document.body.append(input);
    input.click();
  });
}

/** Asks the inspector for a bundle file. */
export async function pickBundleFile(): Promise<PickedBundle> {
  const api = bridge();
  if (!api) return browserPick();
  const res = await api.openBundle();
  if (!res.ok) return { ok: false, cancelled: false, message: `无法打开文件：${res.error.message}` };
  if (!res.value.bytes) return { ok: false, cancelled: true, message: '已取消选择' };
  return { ok: true, bytes: res.value.bytes, name: res.value.name ?? '' };
}

/** Saves a bundle where the inspector chooses (Electron) or as a download (browser). */
export async function saveBundleFile(file: Blob, fileName: string): Promise<SavedBundle> {
  const api = bridge();
  if (!api) {
    const url = URL.createObjectURL(file.type ? file : new Blob([file], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return { ok: true, saved: true, message: `已下载 ${fileName}` };
  }
  // IPC carries bytes, not Blobs: read once, on its own buffer (the contract caps the size).
  const bytes = new Uint8Array(await file.arrayBuffer());
  const res = await api.saveBundle({ bytes, suggestedName: fileName.slice(0, 120) });
  if (!res.ok) return { ok: false, message: `保存失败：${res.error.message}` };
  return res.value.saved
    ? { ok: true, saved: true, message: `已保存到 ${res.value.path ?? ''}` }
    : { ok: true, saved: false, message: '已取消保存' };
}
