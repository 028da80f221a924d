/**
 * The tus uploader reports the platform's error code, not just the status: whether one result is set
 * aside or the whole queue waits depends on it (a 403 NOT_YOUR_UPLOAD concerns one attachment only).
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { uploadsRepo, type Databases } from '../db/index.js';
import { disposeDatabases, freshDatabases, makePhotoAttachment } from '../testing/builders.js';
import { createTusUploader } from './tus-upload.js';

let dbs: Databases | null = null;
afterEach(async () => {
  if (dbs) await disposeDatabases(dbs);
  dbs = null;
});

const attachment = makePhotoAttachment('r-1', 'att-1');

function uploader(answer: () => Response) {
  dbs = freshDatabases();
  const sent: string[] = [];
  const doFetch = (async (url: string | URL | Request, init?: RequestInit) => {
    // The tus extensions probe: this platform offers plain creation then PATCH.
    if (init?.method === 'OPTIONS') return new Response(null, { status: 204 });
    sent.push(`${init?.method ?? 'GET'} ${String(url)}`);
    return answer();
  }) as typeof fetch;
  const u = createTusUploader({
    baseUrl: () => 'http://platform.invalid/api',
    fetch: doFetch,
    tokens: null,
    uploads: uploadsRepo(dbs.field),
    source: { forResult: async () => [attachment] },
    now: () => Date.now(),
  });
  return { u, sent };
}

describe('tus uploader errors', () => {
  it("carries the platform's error code and message from the answer's body", async () => {
    const body = { error: { code: 'NOT_YOUR_UPLOAD', message: '附件 att-1 是其他检查人员上传的' } };
    const { u, sent } = uploader(
      () => new Response(JSON.stringify(body), { status: 403, headers: { 'content-type': 'application/json' } }),
    );
    const prepared = await u.prepare('r-1');
    expect(sent[0]).toBe('POST http://platform.invalid/api/v1/uploads');
    expect(prepared.ok).toBe(false);
    if (prepared.ok) return;
    expect(prepared.error).toMatchObject({ kind: 'http', status: 403, code: 'NOT_YOUR_UPLOAD' });
    expect(prepared.error.message).toContain('其他检查人员');
  });

  it('leaves the code empty when the body is not a platform error', async () => {
    const { u } = uploader(() => new Response('<html>bad gateway</html>', { status: 502 }));
    const prepared = await u.prepare('r-1');
    expect(prepared.ok).toBe(false);
    if (prepared.ok) return;
    expect(prepared.error).toMatchObject({ kind: 'http', status: 502, code: null });
  });
});

describe('attachments in flight together', () => {
  it('two prepares of one result at once (the look-ahead and its own turn) create one upload per attachment', async () => {
    let n = 0;
    const { u, sent } = uploader(() => {
      n += 1;
      // Odd requests create (201 with a Location), even ones are the PATCH that completes the 3 bytes.
      return n % 2 === 1
        ? new Response(null, { status: 201, headers: { location: `http://platform.invalid/api/v1/uploads/u${n}` } })
        : new Response(null, { status: 204, headers: { 'upload-offset': '3' } });
    });
    const [a, b] = await Promise.all([u.prepare('r-1'), u.prepare('r-1')]);
    expect(a.ok && b.ok).toBe(true);
    expect(sent.filter((s) => s.startsWith('POST'))).toHaveLength(1);
  });
});
