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

describe('import boundaries', () => {
  it('only electron/ may import electron', async () => {
    expect(await restrictedImports('renderer/src/app/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await restrictedImports('shared/domain/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await restrictedImports('electron/main/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(0);
  });

  it('only the db layer may import dexie', async () => {
    expect(await restrictedImports('renderer/src/features/x.ts', "import Dexie from 'dexie';\nexport const d = Dexie;\n")).toHaveLength(1);
    expect(await restrictedImports('renderer/src/db/x.ts', "import Dexie from 'dexie';\nexport const d = Dexie;\n")).toHaveLength(0);
  });

  it('renderer and electron never import each other', async () => {
    expect(await restrictedImports('renderer/src/app/x.ts', "import { x } from '../../../electron/main/window.js';\nexport const y = x;\n")).not.toHaveLength(0);
    expect(await restrictedImports('electron/main/x.ts', "import { x } from '../../renderer/src/app/y.js';\nexport const y = x;\n")).toHaveLength(1);
  });

  it('shared/ has no runtime imports', async () => {
    expect(await restrictedImports('shared/domain/x.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toHaveLength(1);
    expect(await restrictedImports('shared/domain/x.ts', "import { z } from 'zod';\nexport const s = z;\n")).toHaveLength(0);
  });
});
