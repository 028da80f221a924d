import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Unit and integration tests by runtime: shared/ and the simulator in Node, electron/ in Node with
// `electron` mocked (its binary cannot run here), renderer logic in Node with fake-indexeddb.
export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'electron/**/*.test.ts',
      'renderer/src/**/*.test.{ts,tsx}',
      'test/platform/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/helpers/**/*.test.ts',
      'test/print/**/*.test.ts',
      'test/reliability/**/*.test.ts',
      'test/contract/**/*.test.ts',
      'test/net/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
    // Two files at a time even on two cores (Vitest's default there is one): many files wait on
    // sockets, timers and IndexedDB commits, and the suite ran in 6.3 min with one, 3.9 with two.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // One module graph per worker, not per file: isolating every file spent most of the suite's
    // time importing (115 s of import in a 224-s run on a 2-core machine; 13 s in 127–132 s
    // without). Every file also passes isolated (`npx vitest run --isolate`): a test must set up
    // what it needs itself and not lean on what another file left behind.
    isolate: false,
    // Dexie takes indexedDB from the global scope when its module is first loaded. In a shared module
    // graph a file that reaches Dexie without fake-indexeddb (through testing/builders) could load it
    // first and leave every later file of that worker with "IndexedDB API missing": loaded before
    // any file, it cannot be.
    setupFiles: ['fake-indexeddb/auto'],
  },
});
