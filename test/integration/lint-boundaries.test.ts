/**
 * The architecture's import boundaries are enforced by eslint.config.js; this proves the rules fire
 * (a rule that cannot fail would keep nothing).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** Messages of the renderer-layer rule for a one-line module `import { x } from '<spec>'` at filePath. */
async function layerErrors(filePath: string, spec: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${spec}';\nexport const y = x;\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it('only electron/ may import electron', async () => {
    expect(
      await restrictedImports('renderer/src/app/x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('shared/domain/x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(0);
  });

  it('only the db layer may import dexie', async () => {
    expect(
      await restrictedImports('renderer/src/features/x.ts', "import Dexie from 'dexie';\nexport const d = Dexie;\n"),
    ).toHaveLength(1);
    expect(
      await restrictedImports('renderer/src/db/x.ts', "import Dexie from 'dexie';\nexport const d = Dexie;\n"),
    ).toHaveLength(0);
  });

  it('renderer and electron never import each other', async () => {
    expect(
      await restrictedImports(
        'renderer/src/app/x.ts',
        "import { x } from '../../../electron/main/window.js';\nexport const y = x;\n",
      ),
    ).not.toHaveLength(0);
    expect(
      await restrictedImports(
        'electron/main/x.ts',
        "import { x } from '../../renderer/src/app/y.js';\nexport const y = x;\n",
      ),
    ).toHaveLength(1);
  });

  it('shared/ has no runtime imports', async () => {
    expect(
      await restrictedImports(
        'shared/domain/x.ts',
        "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImports('shared/domain/x.ts', "import { z } from 'zod';\nexport const s = z;\n"),
    ).toHaveLength(0);
  });

  describe('renderer layers (app → features → ui, state → services → sync, credit-files, print, platform → db → vault)', () => {
    const cases: readonly (readonly [from: string, spec: string, allowed: boolean])[] = [
      ['renderer/src/app/x.ts', '../features/tasks/TaskListScreen.js', true],
      ['renderer/src/features/tasks/x.ts', '../../app/App.js', false],
      ['renderer/src/features/tasks/x.ts', '../../state/routes.js', true],
      ['renderer/src/features/tasks/x.ts', '../inspection/result-text.js', true],
      ['renderer/src/features/settings/x.ts', '../../platform/adapter.js', false],
      ['renderer/src/features/tasks/x.ts', '../../db/index.js', false],
      ['renderer/src/state/x.ts', '../app/App.js', false],
      ['renderer/src/state/x.ts', '../services/index.js', true],
      ['renderer/src/ui/x.ts', '../services/index.js', false],
      ['renderer/src/ui/x.ts', '../state/ui.js', false],
      ['renderer/src/ui/x.ts', './Badge.js', true],
      ['renderer/src/services/x.ts', '../sync/pull-runner.js', true],
      ['renderer/src/services/x.ts', '../features/tasks/task-text.js', false],
      ['renderer/src/sync/x.ts', '../services/index.js', false],
      ['renderer/src/sync/x.ts', '../platform/http.js', true],
      ['renderer/src/sync/x.ts', '../credit-files/search/engine.js', false],
      ['renderer/src/sync/x.ts', '../credit-files/download/pull-enterprises.js', true],
      ['renderer/src/credit-files/search/x.ts', '../../sync/progress.js', false],
      ['renderer/src/credit-files/search/x.ts', '../../db/index.js', true],
      ['renderer/src/credit-files/search/x.ts', '../import/enterprise-prepare.js', false],
      ['renderer/src/credit-files/search/x.ts', '../summary-columns.js', true],
      ['renderer/src/credit-files/download/x.ts', '../../sync/progress.js', false],
      ['renderer/src/credit-files/download/x.ts', '../import/snapshot-import.js', true],
      ['renderer/src/credit-files/import/x.ts', '../validate/byte-validator.js', true],
      ['renderer/src/credit-files/import/x.ts', '../search/engine.js', false],
      ['renderer/src/credit-files/validate/x.ts', '../../db/index.js', false],
      ['renderer/src/credit-files/x.ts', '../db/index.js', false],
      ['renderer/src/credit-files/store/x.ts', '../../sync/progress.js', false],
      ['renderer/src/credit-files/store/x.ts', '../download/pull-enterprises.js', false],
      ['renderer/src/credit-files/store/x.ts', '../timing-sink.js', true],
      ['renderer/src/print/x.ts', '../platform/adapter.js', false],
      ['renderer/src/platform/x.ts', '../sync/progress.js', false],
      ['renderer/src/platform/x.ts', '../db/index.js', true],
      ['renderer/src/db/x.ts', '../sync/progress.js', false],
      ['renderer/src/db/x.ts', '../credit-files/download/pull-enterprises.js', false],
      ['renderer/src/db/x.ts', '../credit-files/store/enterprises.repo.js', true],
      ['renderer/src/db/x.ts', '../vault/seal.js', true],
      ['renderer/src/vault/x.ts', '../db/index.js', false],
      ['renderer/src/vault/x.ts', './seal.js', true],
      ['renderer/src/sw/x.ts', '../services/index.js', false],
      ['renderer/src/sw/x.ts', './register.js', true],
    ];
    it.each(cases)('%s importing %s: allowed=%s', async (from, spec, allowed) => {
      const errors = await layerErrors(from, spec);
      if (allowed) expect(errors).toEqual([]);
      else expect(errors).toEqual([expect.stringContaining('Renderer layers')]);
    });
  });

  it('the db layer is imported only through db/index.ts; db-internal files import each other', async () => {
    expect(await layerErrors('renderer/src/credit-files/search/x.ts', '../store/enterprises.rows.js')).toEqual([
      expect.stringContaining('credit-files/store/enterprises.rows'),
    ]);
    expect(await layerErrors('renderer/src/sync/x.ts', '../db/repos/snapshot.repo.js')).toEqual([
      expect.stringContaining('db/repos/snapshot.repo'),
    ]);
    expect(await layerErrors('renderer/src/services/x.ts', '../db/migrations/field-v3.js')).toEqual([
      expect.stringContaining('db/index.ts'),
    ]);
    expect(await layerErrors('test/reliability/x.ts', '../../renderer/src/db/repos/outbox-uploads.repo.js')).toEqual([
      expect.stringContaining('db/index.ts'),
    ]);
    expect(await layerErrors('renderer/src/credit-files/search/x.ts', '../../db/index.js')).toEqual([]);
    expect(await layerErrors('renderer/src/credit-files/store/x.ts', '../../db/repos/sync-state.repo.js')).toEqual([]);
    expect(await layerErrors('test/reliability/x.ts', '../../renderer/src/db/index.js')).toEqual([]);
    expect(await layerErrors('renderer/src/db/repos/x.ts', '../migrations/field-v3.js')).toEqual([]);
  });

  it('UI code reaches the services only through services/index.ts', async () => {
    expect(await layerErrors('renderer/src/features/x/y.ts', '../../services/api.js')).toEqual([
      expect.stringContaining('services/index.ts'),
    ]);
    expect(await layerErrors('renderer/src/features/x/y.ts', '../../services/index.js')).toEqual([]);
    expect(await layerErrors('renderer/src/services/x.ts', './api.js')).toEqual([]);
  });

  it('a thread entry file names its thread in its header comment', async () => {
    const threadErrors = async (filePath: string, code: string) => {
      const [result] = await eslint.lintText(code, { filePath });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/thread-header').map((m) => m.message);
    };
    const body = 'export const x = 1;\n';
    expect(await threadErrors('renderer/src/sync/x.worker.ts', `/** Pulls things. */\n${body}`)).toEqual([
      expect.stringContaining('Thread:'),
    ]);
    expect(await threadErrors('renderer/src/sync/x.worker.ts', body)).toHaveLength(1);
    expect(await threadErrors('renderer/src/sw/sw.ts', `/** Caches things. */\n${body}`)).toHaveLength(1);
    expect(
      await threadErrors(
        'renderer/src/sync/x.worker.ts',
        `/**\n * Thread: x worker (started by the pull worker).\n */\n${body}`,
      ),
    ).toEqual([]);
    expect(await threadErrors('renderer/src/sync/x.ts', body)).toEqual([]);
  });

  it('only tests import renderer/src/testing/, and tests may import any layer', async () => {
    expect(await layerErrors('renderer/src/services/x.ts', '../testing/builders.js')).toEqual([
      expect.stringContaining('only tests'),
    ]);
    expect(await layerErrors('renderer/src/services/x.test.ts', '../testing/builders.js')).toEqual([]);
    expect(await layerErrors('renderer/src/db/x.test.ts', '../services/index.js')).toEqual([]);
    expect(await layerErrors('renderer/src/db/x.test.ts', '../sync/doc-numbers.js')).toEqual([]);
  });

  it('holds every file to one naming rule', async () => {
    const nameErrors = async (filePath: string, code = 'export const x = 1;\n') => {
      const [result] = await eslint.lintText(code, { filePath });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/file-name').map((m) => m.message);
    };
    expect(await nameErrors('renderer/src/features/inspection/draftJournal.ts')).toEqual([
      expect.stringContaining('draft-journal.ts'),
    ]);
    expect(await nameErrors('test/print/pdfTools.ts')).toHaveLength(1);
    expect(await nameErrors('renderer/src/db/Outbox.repo.ts')).toEqual([expect.stringContaining('React components')]);
    expect(await nameErrors('renderer/src/db/repos/outbox.repo.ts')).toEqual([]);
    expect(await nameErrors('renderer/src/sync/pull.worker.ts')).toEqual([]);
    expect(await nameErrors('renderer/src/features/tasks/TaskList.tsx', 'export const x = 1;\n')).toEqual([]);
    expect(await nameErrors('renderer/src/features/inspection/useAutosave.ts')).toEqual([]);
    expect(await nameErrors('electron/main/services/platform-auth.client.ts')).toEqual([]);
  });
});
