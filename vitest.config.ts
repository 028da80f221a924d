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
  },
});
