import { readdirSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { printPdf, type PrintRegistry, type PrintWindowLike } from './print.js';

vi.mock('electron', () => ({}));

/** Files an earlier version wrote for printing: none may exist while a document prints. */
const printTempFiles = (): string[] => readdirSync(os.tmpdir()).filter((n) => n.startsWith('smart-inspect-print-'));

const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]);

function fakeWindow(outcome: { success: boolean; reason: string } | 'load-fails', registry: PrintRegistry) {
  const seen: { url?: string; fileDuringPrint?: string; tempFilesDuringPrint?: string[] } = {};
  let destroyed = false;
  const win: PrintWindowLike = {
    loadURL: vi.fn(async (url: string) => {
      seen.url = url;
      if (outcome === 'load-fails') throw new Error('ERR_FAILED');
    }),
    setTitle: vi.fn(),
    destroy: vi.fn(() => (destroyed = true)),
    isDestroyed: () => destroyed,
    webContents: {
      print: (_options, callback) => {
        const id = /([^/]+)\.pdf$/.exec(seen.url ?? '')?.[1] ?? '';
        const held = registry.get(id);
        seen.fileDuringPrint = held === undefined ? undefined : Buffer.from(held).toString('latin1');
        seen.tempFilesDuringPrint = printTempFiles();
        if (outcome !== 'load-fails') callback(outcome.success, outcome.reason);
      },
    },
  };
  return { win, seen };
}

async function run(outcome: Parameters<typeof fakeWindow>[0]) {
  const registry: PrintRegistry = new Map();
  const { win, seen } = fakeWindow(outcome, registry);
  const result = printPdf({ registry, createWindow: () => win }, bytes, '检查记录');
  return { result, win, seen, registry };
}

describe('print service', () => {
  it('loads the PDF through app://print from memory (nothing written to disk), prints it, then destroys the window and drops the bytes', async () => {
    const { result, win, seen, registry } = await run({ success: true, reason: '' });
    await expect(result).resolves.toEqual({ printed: true, reason: null });
    expect(seen.url).toMatch(/^app:\/\/print\/[0-9a-f-]{36}\.pdf$/);
    expect(seen.fileDuringPrint).toBe('%PDF-1');
    expect(seen.tempFilesDuringPrint).toEqual([]);
    expect(win.destroy).toHaveBeenCalledTimes(1);
    expect(registry.size).toBe(0);
  });

  it('reports a cancelled dialog as not printed, and still cleans up', async () => {
    const { result, registry } = await run({ success: false, reason: 'Print job canceled' });
    await expect(result).resolves.toEqual({ printed: false, reason: '已取消打印' });
    expect(registry.size).toBe(0);
  });

  it('turns a print failure into PRINT_FAILED and cleans up', async () => {
    const { result, win } = await run({ success: false, reason: 'Print job failed' });
    await expect(result).rejects.toMatchObject({ code: 'PRINT_FAILED' });
    expect(win.destroy).toHaveBeenCalled();
  });

  it('cleans up when the PDF cannot be loaded', async () => {
    const { result, registry } = await run('load-fails');
    await expect(result).rejects.toMatchObject({ code: 'PRINT_FAILED' });
    expect(registry.size).toBe(0);
  });
});
