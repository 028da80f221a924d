/**
 * `npm run platform -- --port <p> --data <dir> --seed <n> --enterprises <count> [--host 127.0.0.1]
 * [--faults] [--publish-delay-ms N] [--token-ttl S] [--invalid-records N]`
 * Starts the simulator, prints `PLATFORM_READY <url>` and the demo logins (zh-CN).
 * USB transfer (usb-cli.ts): `import <file> [--data dir]`, `receipts <bundleId> --out <file> [--data dir]`.
 *
 * `npm run platform -- station --inspectors <id>,<id> --out <file> [--data <dir>] [--block-size n]`
 * writes a signed station bundle for those inspectors (USB transfer to a station without network).
 */
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { startPlatform } from './server.js';
import { runUsbCommand } from './usb-cli.js';

function int(name: string, raw: string | undefined, def: number, min: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`参数 --${name} 应为不小于 ${min} 的整数，收到：${raw}`);
    process.exit(2);
  }
  return n;
}

/** `station`: opens the data directory without serving it, writes the bundle beside `--out`, then renames. */
async function station(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      data: { type: 'string' },
      inspectors: { type: 'string' },
      out: { type: 'string' },
      'block-size': { type: 'string' },
    },
    strict: true,
  });
  const ids = (values.inspectors ?? '').split(',').filter((s) => s.length > 0);
  if (ids.length === 0 || !values.out) {
    console.error('用法：npm run platform -- station --inspectors <执法人员编号,…> --out <文件> [--data <目录>]');
    process.exit(2);
  }
  const out = resolve(values.out);
  const platform = await startPlatform({ dataDir: resolve(values.data ?? '.platform-data'), port: 0 });
  try {
    const built = await platform.stationBundle({
      inspectorIds: ids,
      blockSize: int('block-size', values['block-size'], 20, 1),
    });
    const tmp = `${out}.part`;
    const file = createWriteStream(tmp);
    for await (const part of built.bytes)
      if (!file.write(part)) await new Promise<void>((r) => file.once('drain', () => r()));
    file.end();
    await finished(file);
    await rename(tmp, out);
    const records = built.info.enterprises.records;
    console.log(`站所数据包已写入：${out}（${built.info.inspectors.length} 名执法人员，企业档案 ${records} 条）`);
  } finally {
    await platform.close();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'station') {
    await station(process.argv.slice(3)).catch((e: unknown) => {
      console.error('站所数据包导出失败：', e instanceof Error ? e.message : e);
      process.exit(1);
    });
    return;
  }
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      inspector: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      seed: { type: 'string' },
      enterprises: { type: 'string' },
      host: { type: 'string' },
      faults: { type: 'boolean' },
      review: { type: 'boolean' },
      'publish-delay-ms': { type: 'string' },
      'token-ttl': { type: 'string' },
      'invalid-records': { type: 'string' },
    },
    strict: true,
  });
  const [command, arg] = positionals;
  if (command === 'import' || command === 'receipts') {
    process.exitCode = await runUsbCommand(command, arg, values);
    return;
  }
  if (command !== undefined) {
    console.error(`未知命令：${command}（可用：import、receipts）`);
    process.exit(2);
  }
  const started = Date.now();
  const platform = await startPlatform({
    dataDir: resolve(values.data ?? '.platform-data'),
    port: int('port', values.port, 8787, 0),
    host: values.host ?? '127.0.0.1',
    seed: int('seed', values.seed, 1, 0),
    enterprises: int('enterprises', values.enterprises, 2000, 1),
    faults: values.faults ?? false,
    review: values.review ?? false,
    publishDelayMs: int('publish-delay-ms', values['publish-delay-ms'], 0, 0),
    tokenTtlSeconds: int('token-ttl', values['token-ttl'], 3600, 1),
    invalidRecords: int('invalid-records', values['invalid-records'], 0, 0),
  });
  console.log(`PLATFORM_READY ${platform.url}`);
  console.log(
    `监管平台模拟器已启动（${Date.now() - started} ms），数据目录：${resolve(values.data ?? '.platform-data')}`,
  );
  console.log('演示账号（模拟数据）：');
  console.log('  执法证号          密码        姓名');
  for (const l of platform.logins) console.log(`  ${l.certNo.padEnd(16)}  ${l.password.padEnd(10)}  ${l.name}`);
  console.log(
    `公示页面：${platform.url}/public${values.faults ? `\n故障注入已开启：${platform.url}/__admin/faults` : ''}`,
  );
  console.log(`管理接口密钥（请求头 x-admin-secret，仅供测试）：${platform.adminSecret}`);
  if (values.review) console.log(`结果审核已开启：审核页面 ${platform.url}/review（需管理密钥）`);
  console.log(`平台日志公钥（应用配置 platformLogKey，演示密钥仅供测试）：${platform.logKey}`);
  const stop = (): void => {
    void platform.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error('监管平台模拟器启动失败：', e instanceof Error ? e.message : e);
  process.exit(1);
});
