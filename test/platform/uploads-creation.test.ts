/**
 * tus creation-with-upload: the first bytes of an attachment may ride on the POST that creates its
 * upload, which saves one round trip per attachment on a slow link. The answer is 201 with the
 * Upload-Offset the server stored; a POST that completes the upload is hash-checked like a final
 * PATCH; a client that creates without a body and PATCHes afterwards still works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './testkit.js';
import { login, sha256Hex, startTemp, tusUpload } from './testkit.js';

let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startTemp();
  token = (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken;
});
afterAll(() => h.stop());

const meta = (m: Record<string, string>): string =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

const tus = (method: string, url: string, headers: Record<string, string>, body?: BodyInit) =>
  fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', ...headers }, body });

function createWith(id: string, bytes: Buffer, sent: Buffer, sha = sha256Hex(bytes)): Promise<Response> {
  return tus(
    'POST',
    `${h.platform.url}/v1/uploads`,
    {
      'upload-length': String(bytes.length),
      'upload-metadata': meta({ attachmentId: id, resultId: `res-${id}`, sha256: sha, mime: 'image/jpeg' }),
      'content-type': 'application/offset+octet-stream',
    },
    new Uint8Array(sent),
  );
}

describe('tus creation-with-upload on /v1/uploads', () => {
  it('is advertised in Tus-Extension', async () => {
    const res = await tus('OPTIONS', `${h.platform.url}/v1/uploads`, {});
    expect((res.headers.get('tus-extension') ?? '').split(',')).toContain('creation-with-upload');
  });

  it('a POST carrying the whole file answers 201 with Upload-Offset = size, and the upload is complete', async () => {
    const bytes = Buffer.from('whole photo on the creation request');
    const res = await createWith('att-cwu-1', bytes, bytes);
    expect(res.status).toBe(201);
    expect(res.headers.get('upload-offset')).toBe(String(bytes.length));
    const head = await tus('HEAD', res.headers.get('location')!, {});
    expect(head.headers.get('upload-offset')).toBe(String(bytes.length));
  });

  it('a POST carrying the first part answers its offset; a PATCH finishes from there', async () => {
    const bytes = Buffer.from('first half | second half');
    const res = await createWith('att-cwu-2', bytes, bytes.subarray(0, 11));
    expect(res.status).toBe(201);
    expect(res.headers.get('upload-offset')).toBe('11');
    const patched = await tus(
      'PATCH',
      res.headers.get('location')!,
      { 'upload-offset': '11', 'content-type': 'application/offset+octet-stream' },
      new Uint8Array(bytes.subarray(11)),
    );
    expect(patched.status).toBe(204);
    expect(patched.headers.get('upload-offset')).toBe(String(bytes.length));
  });

  it('a POST whose bytes do not match the declared SHA-256 is refused with 460 and no upload URL', async () => {
    const bytes = Buffer.from('the real photo');
    const res = await createWith('att-cwu-3', bytes, Buffer.from('the fake photo'), sha256Hex(bytes));
    expect(res.status).toBe(460);
    expect(res.headers.get('location')).toBeNull();
  });

  it('a client that creates without a body and PATCHes afterwards still works', async () => {
    const bytes = Buffer.from('classic two-step upload');
    const id = 'att-cwu-4';
    const done = await tusUpload(
      h.platform.url,
      token,
      { attachmentId: id, resultId: `res-${id}`, sha256: sha256Hex(bytes), mime: 'image/jpeg' },
      bytes,
    );
    expect(done.status).toBe(204);
  });
});
