// After `tsc -p electron/tsconfig.json`: checks the compiled preload (dist/app/electron/preload/index.cjs)
// exists and is self-contained. A sandboxed preload may require only `electron`; any other require()
// (e.g. a shared/ module or zod leaking in through a value import) would fail at runtime, so it fails here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const preload = path.join(root, 'dist/app/electron/preload/index.cjs');
const main = path.join(root, 'dist/app/electron/main/index.js');

for (const file of [preload, main]) {
  if (!existsSync(file)) {
    console.error(`build:electron: missing ${path.relative(root, file)} (did tsc emit to dist/app?)`);
    process.exit(1);
  }
}
const requires = [...readFileSync(preload, 'utf8').matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
const bad = requires.filter((r) => r !== 'electron');
if (bad.length > 0) {
  console.error(`build:electron: the sandboxed preload may require only "electron", found: ${bad.join(', ')}`);
  process.exit(1);
}
console.log(
  `build:electron: ${path.relative(root, preload)} is self-contained (requires: ${requires.join(', ') || 'none'})`,
);
