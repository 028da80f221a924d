import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safeJoin, serveStatic } from './static-server.js';

describe('static server for the browser build', () => {
  it('never resolves outside the root', () => {
    const root = '/srv/app';
    expect(safeJoin(root, '/index.html')).toBe('/srv/app/index.html');
    expect(safeJoin(root, '/../etc/passwd')).toBe('/srv/app/etc/passwd');
    expect(safeJoin(root, '/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/app/etc/passwd');
    expect(safeJoin(root, '/a%00b')).toBeNull();
    expect(safeJoin(root, '/%E0%A4%A')).toBeNull();
  });

  it('serves files, the generated config and the SPA fallback', async () => {
    const root = mkdtempSync(join(tmpdir(), 'static-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(join(root, 'assets', 'app-abcdef12.js'), 'console.log(1)');
    const s = await serveStatic({ root, appConfig: { platformUrl: 'http://127.0.0.1:1', demo: true } });
    try {
      const js = await fetch(`${s.url}/assets/app-abcdef12.js`);
      expect(js.headers.get('content-type')).toContain('text/javascript');
      expect(await js.text()).toBe('console.log(1)');
      const cfg = (await (await fetch(`${s.url}/app-config.json`)).json()) as { platformUrl: string };
      expect(cfg.platformUrl).toBe('http://127.0.0.1:1');
      const spa = await fetch(`${s.url}/tasks/123`);
      expect(await spa.text()).toContain('<title>x</title>');
      expect((await fetch(`${s.url}/missing.js`)).status).toBe(404);
      expect((await fetch(`${s.url}/x`, { method: 'POST' })).status).toBe(405);
    } finally {
      await s.close();
    }
  });
});
