import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCsp } from './csp.js';
import { createAppProtocolHandler, mimeTypeOf, resolveInside } from './protocol.js';

let base: string;
let root: string;
const csp = buildCsp({ platformUrl: 'https://platform.example.gov.cn/api', publicityUrl: null });
const printFiles = new Map<string, Uint8Array>();
let handle: ReturnType<typeof createAppProtocolHandler>;
const get = (url: string) => handle({ url, method: 'GET' });

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'proto-test-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'font.woff2'), 'w');
  writeFileSync(path.join(base, 'secret.txt'), 'TOP SECRET');
  printFiles.set('0123456789abcdef', new TextEncoder().encode('%PDF-1.7'));
  handle = createAppProtocolHandler({ rendererRoot: root, csp, printFile: (id) => printFiles.get(id) });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves files with their MIME type, the CSP and nosniff', async () => {
    const res = await get('app://bundle/assets/app.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(csp);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('console.log(1)');
    expect((await get('app://bundle/index.html')).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(mimeTypeOf('x/font.woff2')).toBe('font/woff2');
  });

  it('falls back to index.html for client routes, 404 for missing assets', async () => {
    const route = await get('app://bundle/tasks/42');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>app</title>');
    expect((await get('app://bundle/assets/missing.js')).status).toBe(404);
  });

  it.each([
    'app://bundle/../secret.txt',
    'app://bundle/../../etc/passwd',
    'app://bundle/%2e%2e/secret.txt',
    'app://bundle/%2E%2E/%2E%2E/etc/passwd',
    'app://bundle/..%2fsecret.txt',
    'app://bundle/assets/..%2f..%2fsecret.txt',
    'app://bundle/..%5csecret.txt',
    'app://bundle/%252e%252e/secret.txt',
    'app://bundle/assets%00/app.js',
    'app://bundle/C:%5cWindows%5cwin.ini',
  ])('never serves anything outside the root: %s', async (url) => {
    const res = await get(url);
    const body = await res.text();
    expect(body).not.toContain('TOP SECRET');
    expect(body).not.toContain('root:');
    // Either refused outright or answered with the app shell, never a file from outside.
    expect([200, 403, 404]).toContain(res.status);
    if (res.status === 200) expect(body).toContain('<title>app</title>');
  });

  it('refuses encoded traversal with 403', async () => {
    expect((await get('app://bundle/..%2fsecret.txt')).status).toBe(403);
    expect((await get('app://bundle/..%5csecret.txt')).status).toBe(403);
    expect((await get('app://bundle/assets%00/app.js')).status).toBe(403);
  });

  it('refuses other hosts, ports, credentials and methods', async () => {
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://bundle:99/index.html')).status).toBe(403);
    expect((await handle({ url: 'app://bundle/index.html', method: 'POST' })).status).toBe(405);
  });

  it('serves registered print files only', async () => {
    const ok = await get('app://print/0123456789abcdef.pdf');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/pdf');
    expect((await get('app://print/ffffffffffffffff.pdf')).status).toBe(404);
    expect((await get('app://print/../secret.txt')).status).toBe(404);
  });
});

describe('resolveInside', () => {
  it('keeps paths inside the root and refuses escapes', () => {
    expect(resolveInside('/r', '/a/b.js')).toBe(path.resolve('/r', 'a', 'b.js'));
    expect(resolveInside('/r', '/a/../../b')).toBeNull();
    expect(resolveInside('/r', '/%zz')).toBeNull();
  });
});

describe('CSP', () => {
  it('starts from default-src none and allows only the configured platform origin to connect', () => {
    expect(csp.startsWith("default-src 'none'")).toBe(true);
    expect(csp).toContain("connect-src 'self' https://platform.example.gov.cn;");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // WebAssembly (the licence QR decoder) may compile; JavaScript eval stays forbidden.
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(buildCsp({ platformUrl: null, publicityUrl: null })).toContain("connect-src 'self';");
  });
});
