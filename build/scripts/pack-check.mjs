// `npm run pack:check` (after build:electron): packs the app with electron-builder --dir against a
// placeholder Electron (the real binary cannot be downloaded here), then opens the produced app.asar
// and fails if anything that must not ship got in: tests, the simulator, source maps, TypeScript
// sources, or renderer libraries that Vite already bundled. Prints the file list and the size.
// The placeholder does not run; afterPack sees its marker file and skips the fuse flip (it says so).
// The rules live in pack-rules.mjs. `--asar <app.asar>` checks an existing archive instead (e.g. the
// one inside a real release/ build) without packing.
import { extractAll } from '@electron/asar';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { inspectAsar } from './pack-rules.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const PLACEHOLDER_MARKER = 'SMART_INSPECT_PLACEHOLDER_ELECTRON';

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

function fail(message) {
  console.error(`\npack:check FAILED: ${message}`);
  process.exit(1);
}

function ensureBuilt() {
  if (!existsSync(path.join(root, 'dist/app/electron/main/index.js')))
    fail('dist/app is missing: run `npm run build:electron` first');
  if (!existsSync(path.join(root, 'dist/renderer/index.html'))) {
    if (!existsSync(path.join(root, 'vite.config.ts')))
      fail('dist/renderer is missing and there is no vite.config.ts to build it');
    console.log('pack:check: dist/renderer missing, running `npm run build:renderer`…');
    run('npm', ['run', 'build:renderer', '--silent']);
  }
}

/** A folder shaped like an Electron distribution (enough for electron-builder --dir), marked as fake. */
function makePlaceholder(dir) {
  const version = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  // Chromium locale packs: electron-builder prunes them to `electronLanguages`.
  mkdirSync(path.join(dir, 'locales'), { recursive: true });
  for (const locale of ['zh-CN', 'en-US', 'fr']) writeFileSync(path.join(dir, 'locales', `${locale}.pak`), '');
  writeFileSync(path.join(dir, 'electron'), '#!/bin/sh\necho "placeholder Electron: not runnable" >&2\nexit 1\n', {
    mode: 0o755,
  });
  writeFileSync(path.join(dir, 'version'), version);
  writeFileSync(path.join(dir, 'LICENSE'), 'Placeholder for the Electron license (MIT).\n');
  writeFileSync(path.join(dir, PLACEHOLDER_MARKER), 'This is not Electron. Built by build/scripts/pack-check.mjs.\n');
}

/** The first 40 problems, then a count (a whole node_modules tree can slip in). */
function describeProblems(problems) {
  const shown = problems.slice(0, 40).join('\n  ');
  const more = problems.length > 40 ? `\n  … and ${problems.length - 40} more` : '';
  return `app.asar holds what must not ship, or lacks what must (${problems.length}):\n  ${shown}${more}`;
}

function report(asarPath, { files, fileSizes, deps }) {
  const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
  const byTop = new Map();
  for (const { f, size } of fileSizes) {
    const key = f.startsWith('/node_modules/')
      ? f.split('/').slice(0, 3).join('/')
      : f.split('/').slice(0, 4).join('/');
    byTop.set(key, (byTop.get(key) ?? 0) + size);
  }
  console.log('\napp.asar contents:');
  for (const { f, size } of fileSizes.filter((x) => x.size > 0 && !x.f.startsWith('/node_modules/'))) {
    console.log(`  ${f}  ${(size / 1024).toFixed(1)} KB`);
  }
  console.log('\nby folder:');
  for (const [k, v] of [...byTop].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(40)} ${mb(v)}`);
  console.log(`\nruntime dependencies in package.json: ${deps.join(', ') || '(none)'}`);
  console.log(`app.asar: ${files.length} entries, ${mb(statSync(asarPath).size)} on disk`);
}

/**
 * Extracts app.asar and imports the main-process modules that need runtime dependencies with plain
 * Node: proves the trimmed node_modules still resolve (Electron itself cannot run here).
 */
function smokeImport(asarPath, dir) {
  extractAll(asarPath, dir);
  const modules = [
    'dist/app/shared/ipc/contract.js',
    'dist/app/electron/main/services/config.js',
    'dist/app/electron/main/services/update.js',
  ];
  const code = `for (const m of ${JSON.stringify(modules)}) await import('./' + m); console.log('pack:check: runtime imports resolve inside app.asar');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) fail('main-process modules do not load from the packed app (missing runtime dependency?)');
}

const { values } = parseArgs({ options: { asar: { type: 'string' } } });
if (values.asar !== undefined) {
  const result = inspectAsar(path.resolve(values.asar));
  report(values.asar, result);
  if (result.problems.length > 0) fail(describeProblems(result.problems));
  console.log('\npack:check OK (existing app.asar)');
  process.exit(0);
}

ensureBuilt();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pack-check-'));
try {
  const electronDist = path.join(tmp, 'electron-dist');
  const out = path.join(tmp, 'out');
  makePlaceholder(electronDist);
  run('npx', [
    'electron-builder',
    '--dir',
    '--linux',
    '--x64',
    '--publish',
    'never',
    `-c.electronDist=${electronDist}`,
    `-c.directories.output=${out}`,
  ]);
  const asarPath = path.join(out, 'linux-unpacked', 'resources', 'app.asar');
  if (!existsSync(asarPath)) fail(`no app.asar at ${asarPath}`);
  const result = inspectAsar(asarPath);
  report(asarPath, result);
  if (result.problems.length > 0) fail(describeProblems(result.problems));
  smokeImport(asarPath, path.join(tmp, 'extracted'));
  console.log(
    '\npack:check OK (placeholder Electron: the fuse flip was skipped; it runs in real `npm run dist` builds)',
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
