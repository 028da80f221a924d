/** Fault injection over the wire: dropped connections, Retry-After statuses, the HTTP admin API. */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../../shared/protocol/index.js';
import type { Task } from '../../shared/protocol/index.js';
import type { Harness } from './testkit.js';
import { allTasks, authed, buildUpload, login, putResult, sha256Hex, startTemp, tusUpload } from './testkit.js';

let h: Harness;
let call: ReturnType<typeof authed>;
let token: string;
let tasks: Task[];

beforeAll(async () => {
  h = await startTemp({ faults: true });
  token = (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken;
  call = authed(h.platform.url, token);
  tasks = await allTasks(call);
});
afterAll(() => h.stop());

describe('faults', () => {
  it('drop-after-commit: the client sees a reset, the retry with the same key is a replay', async () => {
    h.platform.admin.addFault({ kind: 'drop-after-commit', method: 'PUT', path: '^/v1/results/' });
    const up = buildUpload(tasks[0]!, 'res-drop-1');
    await expect(putResult(call, up, 'op-drop-1')).rejects.toThrow();
    expect(h.platform.admin.counts('res-drop-1').results).toBe(1);
    expect((await putResult(call, up, 'op-drop-1')).status).toBe(200);
  });

  it('drop-mid-body: nothing is stored and the server keeps serving', async () => {
    h.platform.admin.addFault({ kind: 'drop-mid-body', method: 'PUT', path: '^/v1/results/' });
    const up = buildUpload(tasks[1]!, 'res-midbody-1');
    await expect(putResult(call, up, 'op-midbody-1')).rejects.toThrow();
    expect(h.platform.admin.counts('res-midbody-1').results).toBe(0);
    expect((await putResult(call, up, 'op-midbody-1')).status).toBe(201);
  });

  it('status faults carry Retry-After; the admin API adds rules over HTTP', async () => {
    const rule = JSON.stringify({
      kind: 'status',
      method: 'GET',
      path: '^/v1/sync/tasks$',
      status: 429,
      retryAfter: 7,
    });
    const rulesBefore = h.platform.admin.listFaults().length;
    const noSecret = await fetch(`${h.platform.url}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: rule,
    });
    expect(noSecret.status).toBe(401);
    expect(h.platform.admin.listFaults()).toHaveLength(rulesBefore);
    const add = await fetch(`${h.platform.url}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-secret': h.platform.adminSecret },
      body: rule,
    });
    expect(add.status).toBe(201);
    const limited = await call('/v1/sync/tasks');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(ErrorBodySchema.parse(await limited.json()).error.code).toBe('RATE_LIMITED');
    expect((await call('/v1/sync/tasks')).status).toBe(200);
  });

  it('lose-attachment: a stored attachment goes missing before the result is checked', async () => {
    const bytes = Buffer.from('scan');
    const up = buildUpload(tasks[2]!, 'res-lost-1', {
      attachments: [{ id: 'att-lost-1', sha256: sha256Hex(bytes), size: 4, mime: 'image/png', uploadUrl: null }],
    });
    expect(
      (
        await tusUpload(
          h.platform.url,
          token,
          { attachmentId: 'att-lost-1', resultId: 'res-lost-1', sha256: sha256Hex(bytes), mime: 'image/png' },
          bytes,
        )
      ).status,
    ).toBe(204);
    h.platform.admin.addFault({ kind: 'lose-attachment', method: 'PUT', path: '^/v1/results/res-lost-1$' });
    const res = await putResult(call, up, 'op-lost-1');
    expect(res.status).toBe(409);
    expect(ErrorBodySchema.parse(await res.json()).error.missing).toEqual(['att-lost-1']);
  });

  it('survives a client that hangs up mid-request', async () => {
    const u = new URL(`${h.platform.url}/v1/results/res-hangup-1`);
    await new Promise<void>((resolve) => {
      const req = http.request({
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: 'PUT',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': 'k-hang',
          'content-length': '1000',
        },
      });
      req.on('error', () => resolve());
      req.write('{"taskId":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    expect((await call('/v1/reference')).status).toBe(200);
  });
});
