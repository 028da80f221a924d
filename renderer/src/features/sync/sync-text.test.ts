import { describe, expect, it } from 'vitest';
import type { SyncProgress } from '../../services/index.js';
import { byteLine, formatBytes, isRunning, syncPercent } from './sync-text.js';

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

describe('snapshot download bytes', () => {
  it('shows bytes done of total with the byte rate, and the percent follows the bytes', () => {
    const p = {
      ...base,
      total: 200_000,
      bytes: { done: 3 * 1048576, total: 60 * 1048576, perSecond: 1572864, etaSeconds: 36 },
    };
    expect(byteLine(p)).toBe('3.00 MB / 60.0 MB · 1.50 MB/秒');
    expect(syncPercent(p)).toBe(5);
    expect(byteLine(base)).toBeNull();
    expect(formatBytes(512 * 1024)).toBe('512 KB');
  });
});
