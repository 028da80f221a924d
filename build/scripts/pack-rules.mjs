// What may and must ship in app.asar (used by pack-check.mjs, unit-tested in electron/pack-rules.test.ts).
// Rules are on asar paths ("/dist/renderer/index.html"); sizes let a font that is a stub or an LFS
// pointer fail instead of shipping documents that cannot render Chinese.
import { extractFile, listPackage, statFile } from '@electron/asar';
import path from 'node:path';

/** Libraries the renderer bundle already contains (or dev tools): none may sit in app.asar. */
export const BUNDLED_OR_DEV = [
  'react',
  'react-dom',
  'scheduler',
  'dexie',
  'pdfmake',
  'pdfjs-dist',
  'zustand',
  'react-hook-form',
  '@hookform',
  'signature_pad',
  'tus-js-client',
  '@tus',
  'better-sqlite3',
  'fake-indexeddb',
  'vite',
  'vitest',
  'electron',
  '@expo-google-fonts',
  'typescript',
  '@playwright',
  'playwright',
  'fast-check',
  'exifr',
  'zxing-wasm',
  'hash-wasm',
  'tsx',
  'eslint',
];

export const FORBIDDEN = [
  {
    why: 'test code',
    test: (f) => /(^|\/)(test|tests|__tests__|e2e)\//.test(f) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(f),
  },
  {
    why: 'the platform simulator',
    test: (f) => /(^|\/)(platform|simulator)\//.test(f) && !f.startsWith('/node_modules/'),
  },
  { why: 'a source map', test: (f) => f.endsWith('.map') },
  { why: 'TypeScript source', test: (f) => /\.(ts|tsx|cts|mts)$/.test(f) && !/\.d\.[cm]?ts$/.test(f) },
  { why: 'renderer source', test: (f) => f.startsWith('/renderer/') },
  {
    why: 'a service worker (browser build only, never inside Electron)',
    test: (f) => /(^|\/)(sw|service-worker)\.js$/.test(f),
  },
  { why: 'a private key', test: (f) => /private.*\.pem$|\.key$/i.test(f) },
  {
    why: 'a renderer/dev library (Vite bundles it)',
    test: (f) => BUNDLED_OR_DEV.some((lib) => f === `/node_modules/${lib}` || f.startsWith(`/node_modules/${lib}/`)),
  },
];

export const REQUIRED = [
  '/package.json',
  '/dist/app/electron/main/index.js',
  '/dist/app/electron/preload/index.cjs',
  '/dist/app/electron/main/services/update-public-key.js',
  '/dist/app/shared/ipc/contract.js',
  '/dist/renderer/index.html',
  '/node_modules/zod/package.json',
];

/** The documents' fonts (renderer/src/print/fonts.browser.ts): Vite emits them as hashed assets. */
export const REQUIRED_FONTS = [
  { name: 'Noto Sans SC Regular', pattern: /^\/dist\/renderer\/assets\/NotoSansSC_400Regular-[\w-]+\.ttf$/ },
  { name: 'Noto Sans SC Bold', pattern: /^\/dist\/renderer\/assets\/NotoSansSC_700Bold-[\w-]+\.ttf$/ },
];
/** The real CJK fonts are ~10 MB each; anything under 1 MB is a stub or a Git LFS pointer. */
export const MIN_FONT_BYTES = 1024 * 1024;

/**
 * @param {{ f: string, size: number }[]} entries every asar path with its size (0 for folders)
 * @param {string | undefined} main package.json "main"
 * @returns {string[]} one line per problem; empty when the contents are fine
 */
export function checkAsarEntries(entries, main) {
  const files = entries.map((e) => e.f);
  const problems = [];
  for (const f of files) for (const rule of FORBIDDEN) if (rule.test(f)) problems.push(`${f}  (${rule.why})`);
  for (const f of REQUIRED) if (!files.includes(f)) problems.push(`${f}  (required but missing)`);
  for (const font of REQUIRED_FONTS) {
    const found = entries.find((e) => font.pattern.test(e.f));
    if (found === undefined)
      problems.push(`${font.name} TTF in /dist/renderer/assets  (required by the documents, missing)`);
    else if (found.size < MIN_FONT_BYTES)
      problems.push(`${found.f}  (${font.name} is only ${found.size} bytes: a stub, not the font)`);
  }
  if (main === undefined || !files.includes(`/${main}`))
    problems.push(`package.json main "${main}" is not in app.asar`);
  return problems;
}

/** Lists an app.asar with sizes and package.json's fields, then applies checkAsarEntries. */
export function inspectAsar(asarPath) {
  const files = listPackage(asarPath, { isPack: false }).map((f) => f.split(path.sep).join('/'));
  const fileSizes = files.map((f) => {
    const entry = statFile(asarPath, f.slice(1));
    return { f, size: 'size' in entry && typeof entry.size === 'number' ? entry.size : 0 };
  });
  const pkg = files.includes('/package.json') ? JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) : {};
  const problems = checkAsarEntries(fileSizes, pkg.main);
  return { files, fileSizes, problems, deps: Object.keys(pkg.dependencies ?? {}) };
}
