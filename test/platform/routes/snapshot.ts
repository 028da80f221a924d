/**
 * The credit-file snapshot over HTTP: the manifest (JSON), and the file itself as a static,
 * immutable resource with a strong ETag (its SHA-256) and single byte ranges (RFC 9110): 206 with
 * Content-Range for a satisfiable range, 416 with `bytes *\/size` for one past the end, and the
 * whole file (200) when If-Range names another version, so a client never glues two files together.
 * The current file also answers under `current`, with the same headers (its ETag says which file it is).
 * The body is never re-encoded: it is already gzip, and a Content-Encoding would make the browser
 * decode it and break byte offsets.
 */
import { createReadStream, statSync } from 'node:fs';
import { requireInspector } from '../auth.js';
import type { Ctx, Reply } from '../http.js';
import { ConnectionDropped, HttpError, json } from '../http.js';
import { currentSnapshot, snapshotFile } from '../snapshot-build.js';
import type { Platform } from '../state.js';

/** How long a dropped response's last bytes get to reach the client before its socket is destroyed. */
const DROP_LINGER_MS = 250;

export async function snapshotManifest(p: Platform, ctx: Ctx): Promise<Reply> {
  requireInspector(p, ctx);
  return json(200, await currentSnapshot(p));
}

type Range = { readonly start: number; readonly end: number } | 'unsatisfiable' | null;

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n`; anything else (several ranges, other units) is ignored. */
export function parseRange(header: string | undefined, size: number): Range {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

export async function snapshotBytes(p: Platform, ctx: Ctx): Promise<Reply | null> {
  requireInspector(p, ctx);
  // `current`: whichever file the manifest names now, so its bytes can be asked for with the manifest.
  const sha = ctx.params['sha'] === 'current' ? (await currentSnapshot(p)).sha256 : (ctx.params['sha'] ?? '');
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new HttpError(404, 'NOT_FOUND', '没有这个企业档案快照');
  let size: number;
  try {
    size = statSync(snapshotFile(p, sha)).size;
  } catch {
    throw new HttpError(404, 'NOT_FOUND', '企业档案快照已被替换，请重新获取快照清单');
  }
  const etag = `"${sha}"`;
  const ifRange = ctx.req.headers['if-range'];
  const range = ifRange !== undefined && ifRange !== etag ? null : parseRange(ctx.req.headers.range, size);
  const base = {
    ETag: etag,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, max-age=31536000, immutable',
    'Content-Type': 'application/octet-stream',
  };
  if (range === 'unsatisfiable') {
    ctx.res.writeHead(416, { ...base, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' });
    ctx.res.end();
    return null;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = end - start + 1;
  ctx.res.writeHead(range ? 206 : 200, {
    ...base,
    'Content-Length': String(length),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (ctx.req.method === 'HEAD') {
    ctx.res.end();
    return null;
  }
  // Fault: the link drops once part of the body is out (half of it, or `ms` bytes when given).
  const cut = ctx.fault?.kind === 'drop-mid-body' ? Math.min(length - 1, ctx.fault.ms || Math.floor(length / 2)) : -1;
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(snapshotFile(p, sha), { start, end: cut >= 0 ? start + cut - 1 : end });
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.pipe(ctx.res, { end: cut < 0 });
  });
  if (cut >= 0) {
    // Let the bytes written so far reach the client before the socket goes: on loopback they and
    // the reset would otherwise arrive together, and a browser errors the body without handing on
    // the bytes still in its buffers (a real link spaces them by the time the bytes take to cross).
    await new Promise<void>((resolve) => ctx.res.write('', () => resolve()));
    await new Promise<void>((resolve) => setTimeout(resolve, DROP_LINGER_MS));
    ctx.req.socket.destroy();
    throw new ConnectionDropped('fault: drop-mid-body (snapshot)');
  }
  return null;
}
