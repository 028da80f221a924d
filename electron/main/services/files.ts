/**
 * Save a PDF where the inspector chooses: the save dialog first, the write only after it confirms.
 * The renderer's suggested name is reduced to a safe file name (no directories, no reserved chars).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { IpcFailure } from '../ipc/register.js';

export interface SaveDialogLike {
  showSaveDialog(options: {
    title: string;
    defaultPath: string;
    filters: { name: string; extensions: string[] }[];
    properties: ('createDirectory' | 'showOverwriteConfirmation')[];
  }): Promise<{ canceled: boolean; filePath?: string }>;
}

export interface SaveDeps {
  readonly showSaveDialog: SaveDialogLike['showSaveDialog'];
  readonly documentsDir: string;
}

export interface SaveOutcome {
  readonly saved: boolean;
  readonly path: string | null;
}

/** "../../x<y>.pdf" → "x_y_.pdf"; never empty; always ends in .pdf. */
export function safePdfName(suggested: string): string {
  const base = suggested.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f<>:"|?*]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100);
  const name = cleaned === '' ? '文书' : cleaned;
  return name.toLowerCase().endsWith('.pdf') ? name : `${name}.pdf`;
}

export async function savePdf(deps: SaveDeps, bytes: Uint8Array, suggestedName: string): Promise<SaveOutcome> {
  const choice = await deps.showSaveDialog({
    title: '保存 PDF',
    defaultPath: path.join(deps.documentsDir, safePdfName(suggestedName)),
    filters: [{ name: 'PDF 文件', extensions: ['pdf'] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  if (choice.canceled || choice.filePath === undefined || choice.filePath === '') return { saved: false, path: null };
  const target = choice.filePath.toLowerCase().endsWith('.pdf') ? choice.filePath : `${choice.filePath}.pdf`;
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
