import { describe, expect, it } from 'vitest';
import { createHttpClient } from './http.js';
import { createTokenKeeper, type SealedTokenStore } from './tokens.js';

function memoryVault(): SealedTokenStore & { text: string | null } {
  const v = {
    holder: 'renderer' as const,
    text: null as string | null,
    save: async (t: string) => {
      v.text = t;
    },
    load: async () => v.text,
    clear: async () => {
      v.text = null;
    },
  };
  return v;
}
const issued = {
  accessToken: 'a'.repeat(20),
  refreshToken: 'r'.repeat(20),
  expiresIn: 60,
  serverTime: '2026-05-06T02:00:00Z',
};

describe('token keeper', () => {
  it('refreshes once for concurrent callers and keeps the new token', async () => {
    let calls = 0;
    const f: typeof fetch = async () => {
      calls += 1;
      return new Response(JSON.stringify({ ...issued, accessToken: 'n'.repeat(20) }), { status: 200 });
    };
    const k = createTokenKeeper({ vault: memoryVault(), baseUrl: () => 'http://p.test', fetch: f });
    await k.set(issued);
    expect(await Promise.all([k.refresh(), k.refresh()])).toEqual(['refreshed', 'refreshed']);
    expect(calls).toBe(1);
    expect(k.accessToken()).toBe('n'.repeat(20));
  });

  it('a refused refresh ends the session; an unreachable platform does not', async () => {
    let mode: 'down' | 'refuse' = 'down';
    const f: typeof fetch = async () => {
      if (mode === 'down') throw new TypeError('fetch failed');
      return new Response(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'no' } }), { status: 401 });
    };
    const k = createTokenKeeper({ vault: memoryVault(), baseUrl: () => 'http://p.test', fetch: f });
    await k.set(issued);
    let expired = 0;
    k.onExpired(() => {
      expired += 1;
    });
    expect(await k.refresh()).toBe('unreachable');
    expect(expired).toBe(0);
    // Through the HTTP client, an unreachable refresh is a network error (retry), not a pause.
    const api: typeof fetch = async (input) =>
      String(input).includes('refresh') ? f(input) : new Response('{}', { status: 401 });
    const c = createHttpClient({ baseUrl: () => 'http://p.test', tokens: k, fetch: api });
    const r = await c.request({ method: 'GET', path: '/v1/x', schema: (await import('zod')).z.object({}) });
    expect(r.ok ? null : r.error.kind).toBe('network');
    mode = 'refuse';
    expect(await k.refresh()).toBe('rejected');
    expect(expired).toBe(1);
  });

  it('persists through the vault and loads after a restart', async () => {
    const vault = memoryVault();
    await createTokenKeeper({ vault, baseUrl: () => 'x' }).set(issued);
    const again = createTokenKeeper({ vault, baseUrl: () => 'x' });
    expect(await again.load()).toBe(true);
    expect(again.accessToken()).toBe(issued.accessToken);
  });

  it('logs in itself in the browser build and keeps the refresh token only at rest', async () => {
    const inspector = {
      id: 'insp-1',
      name: '王芳',
      certNo: '37100000001',
      certExpiry: '2030-01-01',
      unit: 'u',
      station: 's',
      region: '371000',
      domains: [],
      expert: false,
    };
    const f: typeof fetch = async () => new Response(JSON.stringify({ ...issued, inspector }), { status: 200 });
    const vault = memoryVault();
    const k = createTokenKeeper({ vault, baseUrl: () => 'http://p.test', fetch: f });
    const r = await k.login('http://p.test', { certNo: '37100000001', password: 'x', deviceId: 'd', deviceName: 'n' });
    expect(r).toEqual({ ok: true, inspector });
    expect(k.accessToken()).toBe(issued.accessToken);
    expect(vault.text).toBeNull();
    await k.persist();
    expect(vault.text).toContain(issued.refreshToken);
  });

  it('a load with nothing stored leaves no tokens behind from before', async () => {
    const vault = memoryVault();
    const k = createTokenKeeper({ vault, baseUrl: () => 'x' });
    await k.set(issued);
    vault.text = null;
    expect(await k.load()).toBe(false);
    expect(k.accessToken()).toBeNull();
    expect(k.hasTokens()).toBe(false);
  });
});
