// Lint keeps the architecture's boundaries (ARCHITECTURE.md): only electron/ imports `electron`,
// renderer/ and electron/ never import each other, only the db layer imports `dexie`, and
// shared/ imports nothing with a runtime (no DOM, Node or Electron).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'http', 'https', 'child_process', 'url', 'stream', 'zlib'];

const restrict = (patterns) => ['error', { patterns }];

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.platform-data/**', '.tmp/**', 'build/icons/**'],
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
        { group: ['electron', 'dexie', 'react', 'react-dom', ...nodeBuiltins], message: 'shared/ is pure TypeScript: no runtime imports.' },
        { group: ['**/renderer/**', '**/electron/**', '**/test/**'], message: 'shared/ imports nothing outside shared/.' },
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
        { group: ['electron', ...nodeBuiltins], message: 'renderer/ runs in a sandboxed page: no Electron or Node imports.' },
        { group: ['**/electron/**'], message: 'renderer/ and electron/ meet only through the IPC contract in shared/.' },
        { group: ['dexie', 'dexie/*'], message: 'Only the db layer (renderer/src/db/) imports dexie.' },
      ]),
    },
  },
  {
    files: ['renderer/src/db/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['electron', ...nodeBuiltins], message: 'renderer/ runs in a sandboxed page: no Electron or Node imports.' },
        { group: ['**/electron/**'], message: 'renderer/ and electron/ meet only through the IPC contract in shared/.' },
      ]),
    },
  },
  {
    files: ['electron/**/*.{ts,cts}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/renderer/**'], message: 'renderer/ and electron/ meet only through the IPC contract in shared/.' },
        { group: ['dexie', 'react', 'react-dom'], message: 'electron/ holds no UI or storage logic.' },
      ]),
    },
  },
  {
    files: ['test/**/*.ts', 'build/**/*.{js,mjs}', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
