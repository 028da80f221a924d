import { createPackage } from '@electron/asar';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MIN_FONT_BYTES,
  REQUIRED,
  checkAsarEntries,
  inspectAsar,
  type AsarEntry,
} from '../build/scripts/pack-rules.mjs';

const MAIN = 'dist/app/electron/main/index.js';
const FONTS: AsarEntry[] = [
  { f: '/dist/renderer/assets/NotoSansSC_400Regular-j7Y_Znm4.ttf', size: 10_559_284 },
  { f: '/dist/renderer/assets/NotoSansSC_700Bold-d5-MnmD8.ttf', size: 10_549_020 },
];
const good = (): AsarEntry[] => [
  ...REQUIRED.map((f) => ({ f, size: 100 })),
  ...FONTS,
  { f: '/node_modules/zod/index.js', size: 10 },
];

describe('app.asar rules (build/scripts/pack-rules.mjs)', () => {
  it('accepts the contents pack:check expects', () => {
    expect(checkAsarEntries(good(), MAIN)).toEqual([]);
  });

  it.each<[string, string, RegExp]>([
    ['react in node_modules', '/node_modules/react/index.js', /renderer\/dev library/],
    ['the simulator', '/test/platform/server.js', /simulator/],
    ['a unit test', '/dist/app/electron/main/window.test.js', /test code/],
    ['a source map', '/dist/renderer/assets/index-abc.js.map', /source map/],
    ['TypeScript source', '/dist/app/electron/main/index.ts', /TypeScript source/],
    ['the service worker', '/dist/renderer/sw.js', /service worker/],
    ['a signing key', '/build/smart-inspect-update-private.pem', /private key/],
  ])('fails on %s', (_name, file, why) => {
    const problems = checkAsarEntries([...good(), { f: file, size: 1 }], MAIN);
    expect(problems).toHaveLength(file.includes('/test/platform/') ? 2 : 1);
    expect(problems.join('\n')).toMatch(why);
  });

  it('fails when a document font is missing or is a stub (e.g. a Git LFS pointer)', () => {
    const withoutBold = good().filter((e) => !e.f.includes('700Bold'));
    expect(checkAsarEntries(withoutBold, MAIN)).toEqual([expect.stringMatching(/Noto Sans SC Bold TTF .*missing/)]);
    const stub = good().map((e) => (e.f.includes('400Regular') ? { ...e, size: MIN_FONT_BYTES - 1 } : e));
    expect(checkAsarEntries(stub, MAIN)).toEqual([expect.stringMatching(/Noto Sans SC Regular is only .* a stub/)]);
  });

  it('fails when a required file or the package.json main is missing', () => {
    const noPreload = good().filter((e) => e.f !== '/dist/app/electron/preload/index.cjs');
    expect(checkAsarEntries(noPreload, MAIN)).toEqual(['/dist/app/electron/preload/index.cjs  (required but missing)']);
    expect(checkAsarEntries(good(), 'dist/main.js')).toEqual(['package.json main "dist/main.js" is not in app.asar']);
  });
});

describe('inspectAsar on a real archive', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('lists a packed archive and reports react injected into it', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pack-rules-'));
    const app = path.join(dir, 'app');
    const font = Buffer.alloc(MIN_FONT_BYTES + 1);
    const files: Record<string, string | Buffer> = {
      'package.json': JSON.stringify({ main: MAIN, dependencies: { zod: '^4' } }),
      'node_modules/zod/index.js': 'export {}',
      'node_modules/react/index.js': 'module.exports = {}',
      'dist/renderer/assets/NotoSansSC_400Regular-aa.ttf': font,
      'dist/renderer/assets/NotoSansSC_700Bold-bb.ttf': font,
    };
    for (const f of REQUIRED) files[f.slice(1)] ??= '// built';
    for (const [name, body] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(app, name)), { recursive: true });
      writeFileSync(path.join(app, name), body);
    }
    await createPackage(app, path.join(dir, 'app.asar'));
    const result = inspectAsar(path.join(dir, 'app.asar'));
    expect(result.deps).toEqual(['zod']);
    expect(result.files).toContain('/dist/renderer/assets/NotoSansSC_700Bold-bb.ttf');
    expect(result.problems).toEqual([
      '/node_modules/react  (a renderer/dev library (Vite bundles it))',
      '/node_modules/react/index.js  (a renderer/dev library (Vite bundles it))',
    ]);
  });
});
