/**
 * The station resets a forgotten password over the admin API: the new password signs in, the old
 * one no longer does, and a caller without the admin secret or with a bad body changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_SECRET_HEADER, ErrorBodySchema } from '../../../shared/protocol/index.js';
import type { DemoLogin } from '../server.js';
import { loginRequest, startTemp, type Harness } from '../testkit.js';

let h: Harness;
let who: DemoLogin;

beforeAll(async () => {
  h = await startTemp({ enterprises: 50 });
  who = h.platform.logins[0]!;
});
afterAll(async () => h.stop());

const setPassword = (inspectorId: string, body: string, secret: string | null): Promise<Response> =>
  fetch(`${h.platform.url}/v1/admin/inspectors/${encodeURIComponent(inspectorId)}/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret === null ? {} : { [ADMIN_SECRET_HEADER]: secret }) },
    body,
  });

const code = async (res: Response): Promise<string> => ErrorBodySchema.parse(await res.json()).error.code;

describe('POST /v1/admin/inspectors/{id}/password', () => {
  it('refuses without the admin secret, a too-short password and an unknown inspector, changing nothing', async () => {
    const noSecret = await setPassword(who.inspectorId, JSON.stringify({ password: 'new-pass-1' }), null);
    expect(noSecret.status).toBe(401);
    const wrongSecret = await setPassword(who.inspectorId, JSON.stringify({ password: 'new-pass-1' }), 'x'.repeat(24));
    expect(wrongSecret.status).toBe(401);
    const short = await setPassword(who.inspectorId, JSON.stringify({ password: 'short' }), h.platform.adminSecret);
    expect(short.status).toBe(422);
    expect(await code(short)).toBe('VALIDATION');
    const unknown = await setPassword(
      'insp-nobody',
      JSON.stringify({ password: 'new-pass-1' }),
      h.platform.adminSecret,
    );
    expect(unknown.status).toBe(404);
    expect(await code(unknown)).toBe('NOT_FOUND');
    expect((await loginRequest(h.platform.url, who.certNo, who.password)).status).toBe(200);
    expect((await loginRequest(h.platform.url, who.certNo, 'new-pass-1')).status).toBe(401);
  });

  it('sets the new password: it signs in, the old one is refused', async () => {
    const res = await setPassword(who.inspectorId, JSON.stringify({ password: 'new-pass-2' }), h.platform.adminSecret);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ inspectorId: who.inspectorId, passwordChanged: true });
    expect((await loginRequest(h.platform.url, who.certNo, 'new-pass-2')).status).toBe(200);
    expect((await loginRequest(h.platform.url, who.certNo, who.password)).status).toBe(401);
  });
});
