/**
 * USB bundle files: the save dialog before any write, the open dialog before any read; the renderer
 * never names a path. A picked file is read only if it is within the size limit and starts like a
 * bundle, so a wrong file is refused here with a clear reason instead of crossing IPC whole.
 */
import { open, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MAX_BUNDLE_FILE_BYTES, isBundleMagic } from '../../../shared/ipc/contract.js';
import { IpcFailure } from '../ipc/register.js';
import type { SaveDeps } from './files.js';

export const BUNDLE_EXTENSION = 'sibundle';

export interface OpenDialogLike {
  showOpenDialog(options: {
    title: string;
    defaultPath: string;
    filters: { name: string; extensions: string[] }[];
    properties: 'openFile'[];
  }): Promise<{ canceled: boolean; filePaths: string[] }>;
}

export interface OpenDeps {
  readonly showOpenDialog: OpenDialogLike['showOpenDialog'];
  readonly documentsDir: string;
}

/** "../../x<y>" → "x_y_.sibundle"; never empty; always ends in .sibundle. */
export function safeBundleName(suggested: string): string {
  const base = suggested.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100);
  const name = cleaned === '' ? '数据包' : cleaned;
  return name.toLowerCase().endsWith(`.${BUNDLE_EXTENSION}`) ? name : `${name}.${BUNDLE_EXTENSION}`;
}

const FILTERS = [{ name: '数据包文件', extensions: [BUNDLE_EXTENSION] }];

export async function saveBundle(
  deps: SaveDeps,
  bytes: Uint8Array,
  suggestedName: string,
): Promise<{ saved: boolean; path: string | null }> {
  const choice = await deps.showSaveDialog({
    title: '保存数据包',
    defaultPath: path.join(deps.documentsDir, safeBundleName(suggestedName)),
    filters: FILTERS,
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (choice.canceled || choice.filePath === undefined || choice.filePath === '') return { saved: false, path: null };
  const target = choice.filePath.toLowerCase().endsWith(`.${BUNDLE_EXTENSION}`)
    ? choice.filePath
    : `${choice.filePath}.${BUNDLE_EXTENSION}`;
  try {
    await writeFile(target, bytes);
  } catch (error) {
    throw new IpcFailure(
      'WRITE_FAILED',
      `无法写入文件 ${target}：${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  return { saved: true, path: target };
}

export async function openBundleFile(
  deps: OpenDeps,
): Promise<{ bytes: Uint8Array<ArrayBuffer> | null; name: string | null }> {
  const choice = await deps.showOpenDialog({
    title: '选择数据包文件',
    defaultPath: deps.documentsDir,
    filters: FILTERS,
    properties: ['openFile'],
  });
  const file = choice.canceled ? undefined : choice.filePaths[0];
  if (file === undefined || file === '') return { bytes: null, name: null };
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    throw new IpcFailure(
      'INVALID_ARGUMENT',
      `无法读取文件 ${file}：${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  if (size > MAX_BUNDLE_FILE_BYTES)
    throw new IpcFailure(
      'TOO_LARGE',
      `文件 ${path.basename(file)} 超过 ${MAX_BUNDLE_FILE_BYTES / 1024 / 1024} MB 上限`,
    );
  const handle = await open(file, 'r');
  try {
    const bytes = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    const data = at === size ? bytes : bytes.subarray(0, at);
    if (!isBundleMagic(data)) throw new IpcFailure('INVALID_ARGUMENT', `文件 ${path.basename(file)} 不是数据包文件`);
    return { bytes: data, name: path.basename(file) };
  } finally {
    await handle.close();
  }
}
