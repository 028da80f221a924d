/**
 * `npm start`: run the app on a fresh machine. With a real platform configured (PLATFORM_URL), the
 * app talks to it; otherwise the bundled demo platform (the simulator) starts on 127.0.0.1 with
 * demo data, clearly flagged as demo. Electron's binary cannot be fetched on every machine: when it
 * is missing this says so and serves the browser build instead, printing the URL to open.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serveStatic } from '../helpers/static-server.js';
import { startPlatform } from '../platform/server.js';

const root = resolve(import.meta.dirname, '../..');

function electronBinary(): string | null {
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

async function main(): Promise<void> {
  const configured = process.env.PLATFORM_URL?.trim();
  let platformUrl = configured ?? '';
  let stop: (() => Promise<void>) | null = null;
  /** The demo platform's public keys the app pins (receipts and USB bundles); a real platform's come from its config. */
  let keys: { platformLogKey?: string; platformBundleKey?: string } = {};
  if (!configured) {
    const platform = await startPlatform({
      dataDir: resolve(root, process.env.PLATFORM_DATA ?? '.platform-data'),
      port: Number(process.env.PLATFORM_PORT ?? 8787),
      seed: 1,
      enterprises: Number(process.env.DEMO_ENTERPRISES ?? 2000),
    });
    platformUrl = platform.url;
    stop = platform.close;
    keys = { platformLogKey: platform.logKey, platformBundleKey: platform.bundleKey };
    console.log(`\n演示平台（模拟数据，非真实企业）: ${platform.url}`);
    console.log('演示账号（执法证号 / 密码 / 姓名）:');
    for (const l of platform.logins.slice(0, 6)) console.log(`  ${l.certNo} / ${l.password} / ${l.name}`);
    console.log(`公示页面: ${platform.url}/public\n`);
  }

  console.log('正在构建界面 (vite build)…');
  run('npx', ['vite', 'build', '--logLevel', 'warn']);

  const electron = electronBinary();
  if (electron) {
    run('npm', ['run', 'build:electron', '--silent']);
    const child = spawn(electron, ['.'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, SMART_INSPECT_PLATFORM_URL: platformUrl },
    });
    child.on('exit', (code) => {
      void stop?.().then(() => process.exit(code ?? 0));
    });
    return;
  }

  const web = await serveStatic({
    root: join(root, 'dist/renderer'),
    port: Number(process.env.APP_PORT ?? 5173),
    appConfig: {
      platformUrl,
      demo: !configured,
      stationName: configured ? '' : '演示：威海市环翠区市场监管所',
      ...keys,
    },
  });
  console.log('此机器无法获取 Electron 可执行文件（Electron binary not available here），改为提供浏览器版本。');
  console.log(`请在 Chromium 中打开: ${web.url}/`);
  console.log('按 Ctrl+C 退出。');
  const shutdown = () => {
    void Promise.all([web.close(), stop?.()]).then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
