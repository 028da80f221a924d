import { describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../services/index.js';
import { isRunning, syncPercent } from './sync-text.js';

const base: SyncProgress = {
  phase: 'enterprises',
  done: 0,
  total: 0,
  recordsPerSecond: 0,
  etaSeconds: null,
  quarantined: 0,
  message: '',
  lastSyncedAt: null,
};

describe('sync percent', () => {
  it('is unknown without a total, clamps, floors, and is 100 when done', () => {
    expect(syncPercent(base)).toBeNull();
    expect(syncPercent({ ...base, done: 1, total: 3 })).toBe(33);
    expect(syncPercent({ ...base, done: 5, total: 3 })).toBe(100);
    expect(syncPercent({ ...base, phase: 'done' })).toBe(100);
  });
  it('knows which phases are running', () => {
    expect(isRunning('reference')).toBe(true);
    expect(isRunning('tasks')).toBe(true);
    expect(isRunning('done')).toBe(false);
    expect(isRunning('error')).toBe(false);
  });
});
