import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disposeDatabases, freshDatabases, testServices } from '../../testing/builders.js';

const inspector = {
  id: 'insp-1',
  name: '王芳',
  certNo: '37100000001',
  certExpiry: '2030-01-01',
  unit: '威海市市场监管局',
  station: '城东所',
  region: '371000',
  domains: [],
  expert: false,
};
let calls = 0;
let online = true;
const platformFetch: typeof fetch = async (input, init) => {
  calls += 1;
  if (!online) throw new TypeError('fetch failed');
  const body = JSON.parse(String(init?.body ?? '{}')) as { password?: string };
  if (String(input).endsWith('/v1/auth/login') && body.password === 'right') {
    return new Response(
      JSON.stringify({
        accessToken: 'a'.repeat(20),
        refreshToken: 'r'.repeat(20),
        expiresIn: 3600,
        serverTime: '2026-05-06T02:00:00Z',
        inspector,
      }),
      { status: 200 },
    );
  }
  return new Response(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'bad' } }), { status: 401 });
};

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(() => {
  dbs = freshDatabases();
  calls = 0;
  online = true;
});
afterEach(() => disposeDatabases(dbs));

describe('AuthService', () => {
  it('validates input before any request', async () => {
    const s = testServices(dbs, { fetch: platformFetch });
    expect(await s.auth.signIn('12', 'x')).toMatchObject({
      ok: false,
      error: { kind: 'invalid-input', message: '执法证号应为11至14位数字' },
    });
    expect(calls).toBe(0);
  });

  it('an unreachable platform is reported as such: offline unlocking is the vault service', async () => {
    online = false;
    const r = await testServices(dbs, { fetch: platformFetch }).auth.signIn('37100000001', 'right');
    expect(r).toMatchObject({ ok: false, error: { kind: 'network' } });
  });

  it('online once, then the session and its tokens survive a restart until sign-out', async () => {
    const s = testServices(dbs, { fetch: platformFetch });
    expect(await s.auth.signIn('37100000001', 'wrong')).toMatchObject({
      ok: false,
      error: { kind: 'bad-credentials' },
    });
    const r = await s.auth.signIn('37100000001', 'right');
    expect(r).toMatchObject({ ok: true, session: { offlineUnlocked: false, inspector: { name: '王芳' } } });

    online = false;
    const restarted = testServices(dbs, { fetch: platformFetch });
    expect((await restarted.auth.current())?.inspector.id).toBe('insp-1');
    expect(restarted.internals.runtime.tokens.hasTokens()).toBe(true);

    await restarted.auth.signOut();
    expect(await restarted.auth.current()).toBeNull();
    expect(restarted.internals.runtime.tokens.hasTokens()).toBe(false);
  });
});
