/**
 * `npm run platform -- import <file> [--data dir] [--review]` and
 * `npm run platform -- receipts <bundleId> --out <file> [--data dir]` (or `receipts --inspector <id>`
 * for every result an inspector's laptop brought in, answered to its latest bundle): the USB transfer on the
 * platform's own data directory, without starting the HTTP server (a running simulator on the same
 * directory sees the imported rows at once: sqlite in WAL mode). Exit code 0 imported / written,
 * 1 refused, 2 bad arguments.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getMeta, openDb } from './db.js';
import { logSigner } from './log-key.js';
import { loadMasterKey } from './master-key.js';
import type { Platform } from './state.js';
import { importResultsBundle } from './usb-import.js';
import { writeInspectorReceipts, writeReceiptsBundle } from './usb-receipts.js';

function openState(dataDir: string, review: boolean): Platform | string {
  if (!existsSync(join(dataDir, 'platform.sqlite'))) return `数据目录 ${dataDir} 中没有平台数据，请先启动一次模拟器`;
  const db = openDb(dataDir);
  if (getMeta(db, 'generated') === null) {
    db.close();
    return `数据目录 ${dataDir} 中的平台数据尚未生成，请先启动一次模拟器`;
  }
  const uploadsDir = join(dataDir, 'uploads');
  mkdirSync(uploadsDir, { recursive: true });
  return {
    db,
    now: () => new Date(),
    uploadsDir,
    tokenTtlSeconds: 3600,
    publishDelayMs: 0,
    faults: null,
    masterKey: loadMasterKey(dataDir),
    adminSecret: randomBytes(18).toString('base64url'),
    review,
    logKey: logSigner(),
  };
}

/** Runs a USB subcommand; returns the process exit code. */
export async function runUsbCommand(
  command: 'import' | 'receipts',
  arg: string | undefined,
  options: {
    data?: string | undefined;
    out?: string | undefined;
    review?: boolean | undefined;
    inspector?: string | undefined;
  },
): Promise<number> {
  if (!arg && !(command === 'receipts' && options.inspector)) {
    console.error(command === 'import' ? '用法：import <数据包文件>' : '用法：receipts <数据包编号> --out <文件>');
    return 2;
  }
  const state = openState(resolve(options.data ?? '.platform-data'), options.review ?? false);
  if (typeof state === 'string') {
    console.error(state);
    return 2;
  }
  try {
    if (command === 'import') {
      const file = resolve(arg ?? '');
      if (!arg || !existsSync(file)) {
        console.error(`找不到数据包文件：${arg ?? '（未指定）'}`);
        return 2;
      }
      const out = await importResultsBundle(state, readFileSync(file));
      if (!out.ok) {
        console.error(`数据包被拒收：${out.error.message}（${out.error.kind}），未导入任何数据`);
        return 1;
      }
      console.log(`已导入数据包 ${out.bundleId}（检查人员 ${out.inspectorId}，设备 ${out.deviceId}）：`);
      for (const o of out.outcomes)
        console.log(
          `  ${o.resultId}  ${o.status}${o.replayed ? ' 已接收过（幂等重放）' : ''}${o.message ? `  ${o.message}` : ''}`,
        );
      return 0;
    }
    if (!options.out) {
      console.error('请用 --out <文件> 指定回执数据包的保存位置');
      return 2;
    }
    const out = options.inspector
      ? await writeInspectorReceipts(state, options.inspector)
      : await writeReceiptsBundle(state, arg ?? '');
    if (!out.ok) {
      console.error(out.error.message);
      return 1;
    }
    writeFileSync(resolve(options.out), out.bytes);
    console.log(`已写出 ${out.receipts} 条回执：${resolve(options.out)}`);
    return 0;
  } finally {
    state.db.close();
  }
}
