import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../ipc/register.js';
import { openBundleFile, safeBundleName, saveBundle, type OpenDialogLike } from './bundle-files.js';
import type { SaveDialogLike } from './files.js';

vi.mock('electron', () => ({}));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bundle-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const bundle = new Uint8Array([0x53, 0x49, 0x42, 0x55, 0x4e, 0x44, 0x4c, 0x45, 1, 2, 3]);
const opening = (filePaths: string[], canceled = false) =>
  vi.fn<OpenDialogLike['showOpenDialog']>(async () => ({ canceled, filePaths }));

describe('save a bundle', () => {
  it('writes only after the dialog confirms, with the .sibundle extension', async () => {
    const target = path.join(dir, '检查结果');
    let existed = true;
    const showSaveDialog = vi.fn<SaveDialogLike['showSaveDialog']>(async (options) => {
      existed = existsSync(`${target}.sibundle`);
      expect(options.defaultPath).toBe(path.join(dir, '检查结果-20260506.sibundle'));
      return { canceled: false, filePath: target };
    });
    const out = await saveBundle({ showSaveDialog, documentsDir: dir }, bundle, '检查结果-20260506');
    expect(existed).toBe(false);
    expect(out).toEqual({ saved: true, path: `${target}.sibundle` });
    expect(new Uint8Array(readFileSync(`${target}.sibundle`))).toEqual(bundle);
  });

  it('writes nothing when cancelled', async () => {
    const showSaveDialog = vi.fn(async () => ({ canceled: true, filePath: path.join(dir, 'x.sibundle') }));
    expect(await saveBundle({ showSaveDialog, documentsDir: dir }, bundle, 'x')).toEqual({ saved: false, path: null });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reduces a suggested name to a safe file name', () => {
    expect(safeBundleName('../../etc/passwd')).toBe('passwd.sibundle');
    expect(safeBundleName('C:\\x<y>.SIBUNDLE')).toBe('x_y_.SIBUNDLE');
    expect(safeBundleName('..')).toBe('数据包.sibundle');
  });
});

describe('open a bundle', () => {
  it('returns the bytes and the file name the inspector picked', async () => {
    const file = path.join(dir, 'receipts.sibundle');
    writeFileSync(file, bundle);
    expect(await openBundleFile({ showOpenDialog: opening([file]), documentsDir: dir })).toEqual({
      bytes: bundle,
      name: 'receipts.sibundle',
    });
  });

  it('answers null when cancelled and refuses a file that is not a bundle', async () => {
    expect(await openBundleFile({ showOpenDialog: opening([], true), documentsDir: dir })).toEqual({
      bytes: null,
      name: null,
    });
    const file = path.join(dir, 'photo.jpg');
    writeFileSync(file, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0]));
    await expect(openBundleFile({ showOpenDialog: opening([file]), documentsDir: dir })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: '文件 photo.jpg 不是数据包文件',
    });
  });
});

describe('the IPC channels validate what crosses', () => {
  const trusted = { senderFrame: { url: 'app://bundle/index.html', parent: null }, sender: {} };
  it('refuses save-bundle bytes that are not a bundle, without opening a dialog', async () => {
    const handler = vi.fn(async () => ({ saved: true, path: '/x' }));
    const result = await dispatch(
      'file:save-bundle',
      { 'file:save-bundle': handler } as never,
      trusted as never,
      [{ bytes: new Uint8Array([1, 2, 3]), suggestedName: 'a' }],
      () => {},
    );
    expect(result.ok || result.error.code).toBe('INVALID_ARGUMENT');
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses open-bundle with arguments (main alone picks the path)', async () => {
    const handler = vi.fn(async () => ({ bytes: null, name: null }));
    const result = await dispatch(
      'file:open-bundle',
      { 'file:open-bundle': handler } as never,
      trusted as never,
      [{ path: '/etc/passwd' }],
      () => {},
    );
    expect(result.ok || result.error.code).toBe('INVALID_ARGUMENT');
    expect(handler).not.toHaveBeenCalled();
  });
});
