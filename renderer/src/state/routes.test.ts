import { describe, expect, it } from 'vitest';
import { formatRoute, parseHash, type Route } from './routes.js';

describe('hash routes', () => {
  it('round-trips every route, including ids that need encoding', () => {
    const routes: Route[] = [
      { name: 'login' },
      { name: 'sync' },
      { name: 'tasks' },
      { name: 'task', taskId: 'T-2025/001 甲' },
      { name: 'inspect', taskId: 'abc' },
      { name: 'outbox' },
      { name: 'settings' },
      { name: 'storage' },
      { name: 'usb' },
    ];
    for (const r of routes) expect(parseHash(formatRoute(r))).toEqual(r);
  });

  it('falls back to the task list for empty, unknown or malformed hashes', () => {
    expect(parseHash('')).toEqual({ name: 'tasks' });
    expect(parseHash('#/nowhere')).toEqual({ name: 'tasks' });
    expect(parseHash('#/tasks/%E0%A4%A')).toEqual({ name: 'tasks' });
  });

  it('reads the inspect route only when the tail says so', () => {
    expect(parseHash('#/tasks/t1/inspect')).toEqual({ name: 'inspect', taskId: 't1' });
    expect(parseHash('#/tasks/t1/other')).toEqual({ name: 'task', taskId: 't1' });
  });
});
