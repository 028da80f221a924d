import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { safePdfName, savePdf, type SaveDialogLike } from './files.js';

vi.mock('electron', () => ({}));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'save-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]);

describe('save PDF', () => {
  it('writes only after the dialog confirms, to the chosen path', async () => {
    const target = path.join(dir, '现场检查记录.pdf');
    let existedWhileDialogOpen = true;
    const showSaveDialog = vi.fn<SaveDialogLike['showSaveDialog']>(async (options) => {
      existedWhileDialogOpen = existsSync(target);
      expect(options.defaultPath).toBe(path.join(dir, '现场检查记录.pdf'));
      return { canceled: false, filePath: target };
    });
    const result = await savePdf({ showSaveDialog, documentsDir: dir }, bytes, '现场检查记录');
    expect(existedWhileDialogOpen).toBe(false);
    expect(result).toEqual({ saved: true, path: target });
    expect(readFileSync(target, 'latin1')).toBe('%PDF-');
  });

  it('writes nothing when the dialog is cancelled', async () => {
    const showSaveDialog = vi.fn(async () => ({ canceled: true, filePath: path.join(dir, 'x.pdf') }));
    await expect(savePdf({ showSaveDialog, documentsDir: dir }, bytes, 'x.pdf')).resolves.toEqual({
      saved: false,
      path: null,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('adds the .pdf extension and reports a failed write as WRITE_FAILED', async () => {
    const ok = await savePdf(
      { showSaveDialog: async () => ({ canceled: false, filePath: path.join(dir, 'a') }), documentsDir: dir },
      bytes,
      'a',
    );
    expect(ok.path).toBe(path.join(dir, 'a.pdf'));
    const missing = path.join(dir, 'no-such-dir', 'b.pdf');
    await expect(
      savePdf({ showSaveDialog: async () => ({ canceled: false, filePath: missing }), documentsDir: dir }, bytes, 'b'),
    ).rejects.toMatchObject({ code: 'WRITE_FAILED' });
  });

  it('reduces a suggested name to a safe file name', () => {
    expect(safePdfName('../../etc/passwd')).toBe('passwd.pdf');
    expect(safePdfName('C:\\Windows\\x<y>.PDF')).toBe('x_y_.PDF');
    expect(safePdfName('...')).toBe('文书.pdf');
    expect(safePdfName('责令改正通知书 2026-001')).toBe('责令改正通知书 2026-001.pdf');
  });
});
