/**
 * The app's tus uploader against the golden tus answers: creation with Upload-Length and
 * Upload-Metadata (attachmentId, resultId, sha256, mime), PATCH from the offset, HEAD for the
 * offset after an interruption, and a refusal of the bytes on completion that ends in review.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { uploadsRepo } from '../../renderer/src/db/index.js';
import type { AttachmentRow, Databases } from '../../renderer/src/db/index.js';
import { decide } from '../../renderer/src/sync/push-answers.js';
import { createTusUploader } from '../../renderer/src/sync/tus-upload.js';
import { disposeDatabases, freshDatabases } from '../../renderer/src/testing/builders.js';
import type { Fixture } from './contract-fixtures.js';
import { loadFixtures } from './contract-fixtures.js';

const golden = new Map(loadFixtures().map((f) => [f.name, f]));
function fixture(name: string): Fixture {
  const f = golden.get(name);
  if (!f) throw new Error(`golden file ${name} is missing`);
  return f;
}
const created = fixture('uploads/create-201');
const patched = fixture('uploads/patch-204');
const head = fixture('uploads/head-200');
const refused = fixture('uploads/patch-460-checksum');

// As long as the golden Upload-Offset says, so the golden PATCH answer completes the upload.
const SIZE = Number(patched.response.headers['upload-offset']);
const attachment: AttachmentRow = {
  id: 'att-3c9e1f4b-photo-01',
  resultId: 'r-5b0e7c1a-93d2-4f6a-8c1e-2d4b6f8a0c3e',
  taskId: 'task-2026-0412',
  kind: 'photo',
  mime: 'image/jpeg',
  size: SIZE,
  sha256: 'c'.repeat(64),
  blob: new Blob([new Uint8Array(SIZE).fill(7)]),
  thumbnail: null,
  fileName: '现场照片-01.jpg',
  capturedAt: '2026-06-12T01:20:00Z',
};

let dbs: Databases | null = null;
afterEach(async () => {
  if (dbs) await disposeDatabases(dbs);
  dbs = null;
});

interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
}

/** A platform that answers each request with the next golden answer, or drops the connection. */
function uploader(answers: (Fixture | 'drop')[]) {
  dbs = freshDatabases();
  const sent: Sent[] = [];
  const doFetch: typeof fetch = (input, init) => {
    // The protocol promises creation then PATCH; this platform advertises no tus extension beyond it.
    if (init?.method === 'OPTIONS') return Promise.resolve(new Response(null, { status: 204 }));
    sent.push({ method: init?.method ?? 'GET', url: String(input), headers: new Headers(init?.headers) });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${init?.method ?? 'GET'} ${String(input)}`);
    if (next === 'drop') return Promise.reject(new TypeError('fetch failed: socket hang up'));
    return Promise.resolve(new Response(null, { status: next.response.status, headers: next.response.headers }));
  };
  const u = createTusUploader({
    baseUrl: () => 'https://platform.example.gov.cn/api',
    fetch: doFetch,
    tokens: null,
    uploads: uploadsRepo(dbs.field),
    source: { forResult: () => Promise.resolve([attachment]) },
    now: () => Date.parse('2026-06-12T01:40:00Z'),
  });
  return { u, sent };
}

function metadataOf(header: string | null): Record<string, string> {
  return Object.fromEntries(
    (header ?? '').split(',').map((pair) => {
      const [k = '', v = ''] = pair.trim().split(' ');
      return [k, Buffer.from(v, 'base64').toString('utf8')];
    }),
  );
}

describe('the tus uploader speaks the golden tus exchange', () => {
  it('creates with length and metadata, PATCHes from 0 and keeps the Location for the PUT body', async () => {
    const { u, sent } = uploader([created, patched]);
    const prepared = await u.prepare(attachment.resultId);
    expect(sent.map((s) => s.method)).toEqual([created.request.method, patched.request.method]);
    const [create, patch] = sent;
    expect(create?.url).toBe('https://platform.example.gov.cn/api/v1/uploads');
    expect(create?.headers.get('tus-resumable')).toBe('1.0.0');
    expect(create?.headers.get('upload-length')).toBe(String(SIZE));
    expect(metadataOf(create?.headers.get('upload-metadata') ?? null)).toEqual({
      attachmentId: attachment.id,
      resultId: attachment.resultId,
      sha256: attachment.sha256,
      mime: attachment.mime,
    });
    expect(patch?.url).toBe(created.response.headers.location);
    expect(patch?.headers.get('upload-offset')).toBe('0');
    expect(patch?.headers.get('content-type')).toBe('application/offset+octet-stream');
    expect(prepared).toEqual({
      ok: true,
      refs: [
        {
          id: attachment.id,
          sha256: attachment.sha256,
          size: SIZE,
          mime: attachment.mime,
          uploadUrl: created.response.headers.location,
        },
      ],
    });
  });

  it('after an interrupted PATCH, HEADs the stored upload URL and takes the server offset', async () => {
    const { u, sent } = uploader([created, 'drop', head]);
    const first = await u.prepare(attachment.resultId);
    expect(first).toMatchObject({ ok: false, error: { kind: 'network' } });
    const second = await u.prepare(attachment.resultId);
    expect(sent.map((s) => s.method)).toEqual(['POST', 'PATCH', 'HEAD']);
    expect(sent[2]?.url).toBe(created.response.headers.location);
    expect(second).toMatchObject({
      ok: true,
      refs: [{ id: attachment.id, uploadUrl: created.response.headers.location }],
    });
  });

  it('a refusal of the bytes on completion is tried once afresh, then set aside for review', async () => {
    const { u, sent } = uploader([created, refused, created, refused]);
    const prepared = await u.prepare(attachment.resultId);
    expect(sent.map((s) => s.method)).toEqual(['POST', 'PATCH', 'POST', 'PATCH']);
    if (prepared.ok) throw new Error('expected the refusal to come back');
    expect(prepared.error).toMatchObject({ kind: 'http', status: refused.response.status });
    expect(decide(prepared.error, 0, () => 0.5)).toMatchObject({ action: 'review', code: 'CHECKSUM_MISMATCH' });
  });
});
