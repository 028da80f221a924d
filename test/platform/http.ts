/**
 * A tiny HTTP toolkit for the simulator: handlers return a Reply (so faults can act after the
 * commit), errors are HttpError rendered as the shared ErrorBody, bodies are read with a size
 * limit, CORS for the app's origins, gzip when the client accepts it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { z } from 'zod';
import type { ErrorBody, ErrorCode } from '../../shared/protocol/index.js';
import type { FaultRule } from './faults.js';

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialized as JSON unless `raw` is given. */
  readonly json?: unknown;
  readonly raw?: { readonly body: string | Buffer; readonly type: string };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: { missing?: string[]; details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
  toReply(): Reply {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.extra.details !== undefined) body.error.details = this.extra.details;
    if (this.extra.missing) body.error.missing = this.extra.missing;
    return { status: this.status, json: body, headers: this.extra.headers ?? {} };
  }
}

/** Thrown after the socket was destroyed on purpose: nothing more may be written. */
export class ConnectionDropped extends Error {}

export interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  /** The fault rule this request matched, if any (already counted). */
  readonly fault: FaultRule | null;
}

const MAX_JSON_BYTES = 5 * 1024 * 1024;
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export async function readBody(ctx: Ctx): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    const buf = chunk as Buffer;
    if (ctx.fault?.kind === 'drop-mid-body') {
      ctx.req.socket.destroy();
      throw new ConnectionDropped('fault: drop-mid-body');
    }
    size += buf.length;
    // Past the limit the rest is read and discarded: answering while the client is still sending
    // resets the connection, and the client would see a network error (and resend forever)
    // instead of the 413 that tells it to set the result aside. Past the drain cap it is cut off.
    if (size > MAX_DRAIN_BYTES) {
      ctx.req.socket.destroy();
      throw new ConnectionDropped('request body over the drain cap');
    }
    if (size <= MAX_JSON_BYTES) chunks.push(buf);
  }
  if (size > MAX_JSON_BYTES) throw new HttpError(413, 'TOO_LARGE', `请求体超过 ${MAX_JSON_BYTES} 字节上限`);
  if (ctx.fault?.kind === 'drop-mid-body') {
    ctx.req.socket.destroy();
    throw new ConnectionDropped('fault: drop-mid-body');
  }
  return Buffer.concat(chunks);
}

export async function readJson(ctx: Ctx): Promise<unknown> {
  const type = ctx.req.headers['content-type'] ?? '';
  const buf = await readBody(ctx);
  if (!/^application\/(.+\+)?json\b/i.test(type))
    throw new HttpError(400, 'BAD_REQUEST', 'Content-Type 必须为 application/json');
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', '请求体不是合法的 JSON');
  }
}

/** Parse with a shared schema; failures become 422 VALIDATION with the zod issues. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  throw new HttpError(
    422,
    'VALIDATION',
    `${what}校验失败：${issues
      .slice(0, 3)
      .map((i) => `${i.path || '(根)'} ${i.message}`)
      .join('；')}`,
    { details: { issues } },
  );
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, json: body, headers };
}

export function html(status: number, body: string): Reply {
  return { status, raw: { body, type: 'text/html; charset=utf-8' } };
}

export function isAllowedOrigin(origin: string): boolean {
  if (origin === 'app://bundle') return true;
  try {
    const u = new URL(origin);
    return (
      u.protocol === 'http:' &&
      (u.hostname === '127.0.0.1' || u.hostname === 'localhost') &&
      u.pathname === '/' &&
      origin === u.origin
    );
  } catch {
    return false;
  }
}

export const CORS_ALLOW_HEADERS =
  'Authorization, Content-Type, Idempotency-Key, If-None-Match, Range, If-Range, Accept, Accept-Encoding, Tus-Resumable, Upload-Length, Upload-Metadata, Upload-Offset, Upload-Defer-Length, Upload-Concat, X-HTTP-Method-Override, X-Requested-With';
export const CORS_EXPOSE_HEADERS =
  'Location, Content-Range, Accept-Ranges, Content-Length, Upload-Offset, Upload-Length, Upload-Metadata, ETag, Retry-After, Date, Tus-Resumable, Tus-Version, Tus-Extension, Tus-Max-Size';

export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin || !isAllowedOrigin(origin)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
}

export function preflight(res: ServerResponse): void {
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, HEAD, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
    'Access-Control-Max-Age': '600',
    'Tus-Resumable': '1.0.0',
    'Tus-Version': '1.0.0',
    'Tus-Extension': 'creation,creation-with-upload,termination',
  });
  res.end();
}

export function sendReply(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  let body: Buffer;
  let type: string;
  if (reply.raw) {
    body = typeof reply.raw.body === 'string' ? Buffer.from(reply.raw.body, 'utf8') : reply.raw.body;
    type = reply.raw.type;
  } else {
    body = reply.json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(reply.json), 'utf8');
    type = 'application/json; charset=utf-8';
  }
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...reply.headers };
  if (body.length > 0) headers['Content-Type'] = type;
  const accepts = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (accepts && body.length > 1024 && reply.status !== 304) {
    body = gzipSync(body, { level: 1 });
    headers['Content-Encoding'] = 'gzip';
    headers['Vary'] = 'Accept-Encoding, Origin';
  }
  headers['Content-Length'] = String(body.length);
  res.writeHead(reply.status, headers);
  res.end(reply.status === 304 || req.method === 'HEAD' ? undefined : body);
}
