// Lint keeps the architecture's boundaries (docs/ARCHITECTURE.md): only electron/ imports `electron`,
// renderer/ and electron/ never import each other, only the db layer imports `dexie`, shared/
// imports nothing with a runtime (no DOM, Node or Electron), and inside renderer/src the layers
// below import only downwards, the db layer only through its barrel.
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'child_process',
  'url',
  'stream',
  'zlib',
];

const restrict = (patterns) => ['error', { patterns }];

const RENDERER_SRC = path.join(import.meta.dirname, 'renderer', 'src');

// The renderer's layers, top to bottom:
//   app → features → ui, state → services → sync, credit-files, print, platform → db → vault
// A file in the folder on the left may import only the folders listed (its own included); shared/
// and libraries are governed by the rules further down. Among sync, print and platform only
// sync → platform is allowed (the pull and push engines talk through the HTTP client and tokens);
// the others stay independent so each can run on its own thread without dragging the rest in.
// credit-files/ is the credit-file pipeline, one folder whose parts are layers of their own:
// download/ and import/ (the pull worker and its feed workers; they call each other: a feed worker
// downloads and prepares one page) sit where sync/ sits; search/ (the search worker) sits beside
// them and reaches neither; store/ belongs to the db layer (the barrel db/index.ts re-exports it, and
// everything outside the db layer goes through that barrel); validate/ (the zod compilers) and the
// folder's own root files (the summary columns, the timing sink, the progress port) import nothing
// else from the renderer, so every part may use them.
// sw/ (the service worker's own thread) and vault/ (key hierarchy, sealing; any thread) import
// nothing else from the renderer. testing/ (test builders) may import anything but only tests
// import it; *.test.ts(x) may import any layer (they build fixtures), still only through the barrels.
const PIPELINE_BASE = ['credit-files', 'credit-files/validate'];
const PIPELINE_WORKERS = ['credit-files/download', 'credit-files/import'];
const BELOW_SERVICES = [
  'sync',
  ...PIPELINE_WORKERS,
  'credit-files/search',
  'credit-files/store',
  ...PIPELINE_BASE,
  'print',
  'platform',
  'db',
  'vault',
];
const RENDERER_LAYERS = {
  'main.tsx': ['app', 'sw', 'styles'],
  app: ['app', 'features', 'ui', 'state', 'services', 'styles'],
  features: ['features', 'ui', 'state', 'services', 'styles'],
  ui: ['ui'],
  state: ['state', 'services'],
  services: ['services', ...BELOW_SERVICES],
  sync: ['sync', ...PIPELINE_WORKERS, ...PIPELINE_BASE, 'platform', 'db', 'vault'],
  'credit-files/download': [...PIPELINE_WORKERS, ...PIPELINE_BASE, 'platform', 'db', 'vault'],
  'credit-files/import': [...PIPELINE_WORKERS, ...PIPELINE_BASE, 'platform', 'db', 'vault'],
  'credit-files/search': ['credit-files/search', ...PIPELINE_BASE, 'db', 'vault'],
  'credit-files/store': ['credit-files/store', ...PIPELINE_BASE, 'db', 'vault'],
  'credit-files/validate': ['credit-files/validate'],
  'credit-files': ['credit-files'],
  print: ['print', 'db', 'vault'],
  platform: ['platform', 'db', 'vault'],
  db: ['db', 'credit-files/store', ...PIPELINE_BASE, 'vault'],
  vault: ['vault'],
  sw: ['sw'],
  testing: ['testing', 'app', 'features', 'ui', 'state', 'services', ...BELOW_SERVICES],
};
/** The db layer: db/ and the pipeline's store, reached from outside only through db/index.ts. */
const DB_LAYERS = new Set(['db', 'credit-files/store']);
/** Layers above services reach the data layer only through the services barrel (the singleton + contract types). */
const UI_LAYERS = new Set(['app', 'features', 'state']);

const isTest = (file) => /\.test\.tsx?$/.test(file);
const withoutExt = (file) => file.replace(/\.(js|jsx|ts|tsx|mjs|cjs)$/, '');

/**
 * 'db/repos/x.ts' → { layer: 'db', rest: 'repos/x' }; 'main.tsx' → { layer: 'main.tsx', rest: '' };
 * 'credit-files/store/x.ts' → { layer: 'credit-files/store', rest: 'x' } (the pipeline's parts are
 * layers; its root files are the layer 'credit-files'); null outside renderer/src.
 */
function rendererPlace(absolute) {
  const rel = path.relative(RENDERER_SRC, absolute);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const [layer = '', ...rest] = rel.split(path.sep);
  if (layer === 'credit-files' && rest.length > 1) {
    const [part = '', ...inner] = rest;
    return { layer: `${layer}/${part}`, rest: withoutExt(inner.join('/')) };
  }
  return { layer, rest: withoutExt(rest.join('/')) };
}

/** Thread entry points: every `*.worker.ts` and the service worker's sw/sw.ts. */
const isThreadEntry = (file) => /\.worker\.ts$/.test(file) || file.endsWith(path.join('sw', 'sw.ts'));

/** The naming rule: components PascalCase.tsx, hooks useThing.ts(x), every other module kebab-case (role after a dot). */
function fileNameProblem(file) {
  const base = path.basename(file);
  const stem = base.split('.')[0] ?? '';
  const kebab = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(stem);
  const hook = /^use[A-Z][A-Za-z0-9]*$/.test(stem);
  const component = /^[A-Z][A-Za-z0-9]*$/.test(stem);
  if (kebab || hook || (component && base.endsWith('.tsx'))) return null;
  return component
    ? `${base}: a PascalCase name is for React components (.tsx); other modules are kebab-case (e.g. ${toKebab(stem)}.ts).`
    : `${base}: module names are kebab-case (e.g. ${toKebab(stem)}${base.slice(stem.length)}); components PascalCase.tsx; hooks useThing.ts.`;
}

const toKebab = (s) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();

const layersPlugin = {
  rules: {
    'file-name': {
      meta: { type: 'suggestion', schema: [], docs: { description: 'One file-naming rule for the whole tree' } },
      create(context) {
        const problem = fileNameProblem(context.filename);
        if (!problem) return {};
        return { Program: (node) => context.report({ node, message: problem }) };
      },
    },
    'thread-header': {
      meta: {
        type: 'problem',
        schema: [],
        docs: { description: 'A thread entry file names its thread in its header comment' },
      },
      create(context) {
        if (!isThreadEntry(context.filename)) return {};
        return {
          Program(node) {
            const first = context.sourceCode.getAllComments()[0];
            const ok = first && first.range[0] === 0 && /^\s*\*?\s*Thread: \S/m.test(first.value);
            if (!ok)
              context.report({
                node,
                message:
                  'A thread entry file (*.worker.ts, sw/sw.ts) opens with a header comment whose line `Thread: <name> (<who starts it>)` says which thread runs it.',
              });
          },
        };
      },
    },
    imports: {
      meta: {
        type: 'problem',
        schema: [],
        docs: { description: 'Renderer layers import only downwards; the db layer only through db/index.ts' },
      },
      create(context) {
        const file = context.filename;
        const from = rendererPlace(file);
        function check(node, source) {
          if (typeof source !== 'string' || !source.startsWith('.')) return;
          const to = rendererPlace(path.resolve(path.dirname(file), source));
          if (!to) return;
          if (DB_LAYERS.has(to.layer) && !DB_LAYERS.has(from?.layer) && !(to.layer === 'db' && to.rest === 'index')) {
            context.report({
              node,
              message: `Import the db layer through renderer/src/db/index.ts, not its internal module ${to.layer}/${to.rest}: repositories, rows and migrations stay private to the db layer (db/ and credit-files/store/).`,
            });
            return;
          }
          if (!from) return;
          if (to.layer === 'testing' && !isTest(file) && from.layer !== 'testing') {
            context.report({ node, message: 'renderer/src/testing/ holds test builders: only tests import it.' });
            return;
          }
          if (isTest(file)) return;
          const allowed = RENDERER_LAYERS[from.layer];
          if (allowed && !allowed.includes(to.layer)) {
            context.report({
              node,
              message: `Renderer layers (app → features → ui, state → services → sync, credit-files, print, platform → db → vault): ${from.layer}/ may import only ${allowed.map((l) => `${l}/`).join(', ')}, not ${to.layer}/.`,
            });
            return;
          }
          if (UI_LAYERS.has(from.layer) && to.layer === 'services' && to.rest !== 'index') {
            context.report({
              node,
              message: `UI code reaches the services only through renderer/src/services/index.ts (the app's instance and the contract types), not services/${to.rest}.`,
            });
          }
        }
        return {
          ImportDeclaration: (node) => check(node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
          ExportAllDeclaration: (node) => check(node, node.source.value),
          ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
        };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.platform-data/**',
      '.tmp/**',
      'build/icons/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['electron', 'dexie', 'react', 'react-dom', ...nodeBuiltins],
          message: 'shared/ is pure TypeScript: no runtime imports.',
        },
        {
          group: ['**/renderer/**', '**/electron/**', '**/test/**'],
          message: 'shared/ imports nothing outside shared/.',
        },
      ]),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict([
        {
          group: ['electron', ...nodeBuiltins],
          message: 'renderer/ runs in a sandboxed page: no Electron or Node imports.',
        },
        {
          group: ['**/electron/**'],
          message: 'renderer/ and electron/ meet only through the IPC contract in shared/.',
        },
        { group: ['dexie', 'dexie/*'], message: 'Only the db layer (renderer/src/db/) imports dexie.' },
      ]),
    },
  },
  {
    files: ['renderer/src/db/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['electron', ...nodeBuiltins],
          message: 'renderer/ runs in a sandboxed page: no Electron or Node imports.',
        },
        {
          group: ['**/electron/**'],
          message: 'renderer/ and electron/ meet only through the IPC contract in shared/.',
        },
      ]),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/imports': 'error', 'layers/thread-header': 'error' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'shared/**/*.ts', 'electron/**/*.{ts,cts}', 'test/**/*.{ts,tsx}'],
    ignores: ['**/*.d.ts'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/file-name': 'error' },
  },
  {
    files: ['electron/**/*.{ts,cts}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['**/renderer/**'],
          message: 'renderer/ and electron/ meet only through the IPC contract in shared/.',
        },
        { group: ['dexie', 'react', 'react-dom'], message: 'electron/ holds no UI or storage logic.' },
      ]),
    },
  },
  {
    files: ['test/**/*.ts', 'build/**/*.{js,mjs}', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
