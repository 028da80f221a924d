/**
 * Prints how long generating a 200,000-enterprise station takes (not a test, no assertions):
 * `npx tsx test/platform/gen-bench.ts [count]`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from './db.js';
import { seedDatabase } from './gen/seed.js';

const count = Number(process.argv[2] ?? '200000');
const dir = mkdtempSync(join(tmpdir(), 'platform-genbench-'));
try {
  const db = openDb(dir);
  const t0 = performance.now();
  const summary = seedDatabase(db, { seed: 1, enterprises: count, invalidRecords: 0, now: new Date() });
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  const mb = statSync(join(dir, 'platform.sqlite')).size / 1024 / 1024;
  console.log(
    `generated ${summary.enterprises} enterprises and ${summary.tasks} tasks in ${seconds.toFixed(1)} s ` +
      `(${Math.round(summary.enterprises / seconds)} records/s, database ${mb.toFixed(0)} MB)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
