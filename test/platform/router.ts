/**
 * Request dispatch: CORS and preflight, the route table, fault rules (before the handler, or
 * after the commit), error rendering. A handler never crashes the server: anything unexpected is
 * a 500 with an ErrorBody, and the process keeps serving.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server as TusServer } from '@tus/server';
import type { Admin } from './admin.js';
import { login, refresh, requireInspector } from './auth.js';
import type { FaultKind, FaultRule } from './faults.js';
import { sleep } from './faults.js';
import type { Ctx, Reply } from './http.js';
import { ConnectionDropped, HttpError, applyCors, html, preflight, sendReply } from './http.js';
import { adminRoute } from './routes/admin.js';
import { adminStationBundle } from './routes/station.js';
import { listReviews, postReview, reviewPage } from './routes/review.js';
import { adminDevice, adminInspectorPassword, adminKeyReleases, requireAdminSecret } from './routes/admin-v1.js';
import { report, reserve } from './routes/docnumbers.js';
import { publicEnterpriseHtml, publicIndexHtml, publicResultsJson } from './routes/public.js';
import { checkHtml, checkScript, verify, verifyHash } from './routes/public-verify.js';
import { reference } from './routes/reference.js';
import { getDataKey, getStationCacheKey, putDataKey } from './routes/keys.js';
import { registerDeviceKey } from './routes/devices.js';
import { adminUsbImport, adminUsbReceipts } from './routes/usb.js';
import { getReceipt, putResult } from './routes/results.js';
import { getCheckpoint, getConsistencyProof, getInclusionProof } from './routes/log.js';
import { authorizeUpload } from './routes/uploads.js';
import { enterprisesFeed, tasksFeed } from './routes/sync.js';
import { snapshotBytes, snapshotManifest } from './routes/snapshot.js';
import type { Platform } from './state.js';

type Handler = (ctx: Ctx) => Reply | null | Promise<Reply | null>;
interface Route {
  readonly method: string;
  readonly path: RegExp;
  readonly handler: Handler;
  readonly ownsFaults?: readonly FaultKind[];
}

function routes(p: Platform, admin: Admin, tus: TusServer): Route[] {
  const table: Route[] = [
    { method: 'POST', path: /^\/v1\/auth\/login$/, handler: (c) => login(p, c) },
    { method: 'POST', path: /^\/v1\/auth\/refresh$/, handler: (c) => refresh(p, c) },
    { method: 'GET', path: /^\/v1\/sync\/tasks$/, handler: (c) => tasksFeed(p, c) },
    { method: 'GET', path: /^\/v1\/sync\/enterprises$/, handler: (c) => enterprisesFeed(p, c) },
    { method: 'GET', path: /^\/v1\/sync\/enterprises\/snapshot$/, handler: (c) => snapshotManifest(p, c) },
    {
      method: 'GET',
      path: /^\/v1\/sync\/enterprises\/snapshot\/(?<sha>[^/]+)$/,
      handler: (c) => snapshotBytes(p, c),
      ownsFaults: ['drop-mid-body'],
    },
    { method: 'GET', path: /^\/v1\/reference$/, handler: (c) => reference(p, c) },
    {
      method: 'PUT',
      path: /^\/v1\/results\/(?<id>[^/]+)$/,
      handler: (c) => putResult(p, c),
      ownsFaults: ['delay', 'fail-before-commit', 'lose-attachment', 'lose-attachment-after-commit'],
    },
    { method: 'GET', path: /^\/v1\/results\/(?<id>[^/]+)\/receipt$/, handler: (c) => getReceipt(p, c) },
    { method: 'GET', path: /^\/v1\/log\/checkpoint$/, handler: () => getCheckpoint(p) },
    { method: 'GET', path: /^\/v1\/log\/proof\/inclusion$/, handler: (c) => getInclusionProof(p, c) },
    { method: 'GET', path: /^\/v1\/log\/proof\/consistency$/, handler: (c) => getConsistencyProof(p, c) },
    { method: 'POST', path: /^\/v1\/doc-numbers\/reserve$/, handler: (c) => reserve(p, c) },
    { method: 'POST', path: /^\/v1\/doc-numbers\/report$/, handler: (c) => report(p, c) },
    { method: 'PUT', path: /^\/v1\/keys\/data-key$/, handler: (c) => putDataKey(p, c) },
    { method: 'GET', path: /^\/v1\/keys\/data-key$/, handler: (c) => getDataKey(p, c) },
    { method: 'GET', path: /^\/v1\/keys\/station-cache$/, handler: (c) => getStationCacheKey(p, c) },
    { method: 'POST', path: /^\/v1\/devices\/keys$/, handler: (c) => registerDeviceKey(p, c) },
    {
      method: 'POST',
      path: /^\/v1\/admin\/devices\/(?<deviceId>[^/]+)\/revoke$/,
      handler: (c) => adminDevice(p, admin, c, 'revoke'),
    },
    {
      method: 'POST',
      path: /^\/v1\/admin\/devices\/(?<deviceId>[^/]+)\/reinstate$/,
      handler: (c) => adminDevice(p, admin, c, 'reinstate'),
    },
    { method: 'GET', path: /^\/v1\/admin\/key-releases$/, handler: (c) => adminKeyReleases(p, admin, c) },
    { method: 'GET', path: /^\/v1\/admin\/station-bundle$/, handler: (c) => adminStationBundle(p, c) },
    { method: 'GET', path: /^\/v1\/admin\/reviews$/, handler: (c) => listReviews(p, c) },
    { method: 'POST', path: /^\/v1\/admin\/usb\/import$/, handler: (c) => adminUsbImport(p, c) },
    { method: 'GET', path: /^\/v1\/admin\/usb\/receipts$/, handler: (c) => adminUsbReceipts(p, c) },
    {
      method: 'GET',
      path: /^\/v1\/admin\/usb\/receipts\/(?<bundleId>[^/]+)$/,
      handler: (c) => adminUsbReceipts(p, c),
    },
    { method: 'GET', path: /^\/review$/, handler: () => reviewPage() },
    { method: 'POST', path: /^\/v1\/admin\/results\/(?<id>[^/]+)\/review$/, handler: (c) => postReview(p, c) },
    {
      method: 'POST',
      path: /^\/v1\/admin\/inspectors\/(?<inspectorId>[^/]+)\/password$/,
      handler: (c) => adminInspectorPassword(p, c),
    },
    {
      method: 'GET',
      path: /^\/v1\/public\/enterprises\/(?<uscc>[^/]+)\/results$/,
      handler: (c) => publicResultsJson(p, c),
    },
    { method: 'GET', path: /^\/public\/?$/, handler: (c) => publicIndexHtml(p, c) },
    { method: 'GET', path: /^\/public\/enterprises\/(?<uscc>[^/]+)$/, handler: (c) => publicEnterpriseHtml(p, c) },
    { method: 'GET', path: /^\/public\/verify$/, handler: (c) => verify(p, c) },
    { method: 'GET', path: /^\/public\/verify\/hash\/(?<hash>[^/]+)$/, handler: (c) => verifyHash(p, c) },
    { method: 'GET', path: /^\/public\/check$/, handler: () => checkHtml() },
    { method: 'GET', path: /^\/public\/check\.js$/, handler: () => checkScript() },
    {
      method: 'GET',
      path: /^\/$/,
      handler: () =>
        html(
          200,
          '<!doctype html><meta charset="utf-8"><title>监管平台模拟器</title><p>监管平台模拟器运行中。<a href="/public">公示页面</a></p>',
        ),
    },
    {
      method: '*',
      path: /^\/v1\/uploads(\/[^/]+)?$/,
      handler: (c) => tusRoute(p, tus, c),
      ownsFaults: ['drop-mid-body'],
    },
  ];
  if (p.faults) {
    table.push({
      method: '*',
      path: /^\/__admin\//,
      handler: (c) => {
        requireAdminSecret(p, c);
        return adminRoute(admin, c);
      },
    });
  }
  return table;
}

async function tusRoute(p: Platform, tus: TusServer, ctx: Ctx): Promise<null> {
  authorizeUpload(p, requireInspector(p, ctx).id, ctx);
  if (ctx.fault?.kind === 'drop-mid-body') {
    // tus reads the body itself; cut the connection shortly after it starts.
    setTimeout(() => ctx.req.socket.destroy(), ctx.fault.ms || 15);
  }
  await tus.handle(ctx.req, ctx.res);
  return null;
}

function statusFault(rule: FaultRule): HttpError {
  const headers: Record<string, string> = rule.retryAfter === null ? {} : { 'Retry-After': String(rule.retryAfter) };
  const code =
    rule.status === 429
      ? 'RATE_LIMITED'
      : rule.status === 503
        ? 'UNAVAILABLE'
        : rule.status === 410
          ? 'CURSOR_EXPIRED'
          : rule.status === 401
            ? 'TOKEN_EXPIRED'
            : rule.status === 413
              ? 'TOO_LARGE'
              : rule.status < 500
                ? 'BAD_REQUEST'
                : 'INTERNAL';
  return new HttpError(rule.status, code, `模拟故障：HTTP ${rule.status}`, { headers });
}

/** Faults that act before the handler, unless the route applies them itself at the right moment. */
async function beforeHandler(rule: FaultRule, route: Route): Promise<void> {
  if (route.ownsFaults?.includes(rule.kind)) return;
  if (rule.kind === 'status') throw statusFault(rule);
  if (rule.kind === 'delay') await sleep(rule.ms);
  if (rule.kind === 'fail-before-commit') throw new HttpError(500, 'INTERNAL', '模拟故障：提交前失败');
}

/** Faults that act after the handler committed. Returns false when nothing may be sent. */
async function afterCommit(rule: FaultRule | null, res: ServerResponse): Promise<Reply | 'drop' | null> {
  if (!rule) return null;
  if (rule.kind === 'fail-after-commit') return new HttpError(500, 'INTERNAL', '模拟故障：已提交但响应失败').toReply();
  if (rule.kind === 'drop-after-commit') {
    res.socket?.destroy();
    return 'drop';
  }
  if (rule.kind === 'delay-after-commit') await sleep(rule.ms);
  return null;
}

export function createRouter(
  p: Platform,
  admin: Admin,
  tus: TusServer,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const table = routes(p, admin, tus);
  return async (req, res) => {
    try {
      applyCors(req, res);
      if (req.method === 'OPTIONS') return preflight(res);
      const url = new URL(req.url ?? '/', 'http://platform.invalid');
      const method = req.method ?? 'GET';
      let params: Record<string, string> = {};
      const route = table.find((r) => {
        const m =
          r.method === '*' || r.method === method || (r.method === 'GET' && method === 'HEAD')
            ? r.path.exec(url.pathname)
            : null;
        if (m) params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
        return m !== null;
      });
      if (!route) {
        const known = table.some((r) => r.path.test(url.pathname));
        throw known
          ? new HttpError(405, 'BAD_REQUEST', `不支持的方法：${method}`)
          : new HttpError(404, 'NOT_FOUND', `没有这个接口：${url.pathname}`);
      }
      const isAdmin = url.pathname.startsWith('/__admin') || url.pathname.startsWith('/v1/admin/');
      const fault = p.faults && !isAdmin ? p.faults.take(method, url.pathname) : null;
      const ctx: Ctx = { req, res, url, params, fault };
      if (fault) await beforeHandler(fault, route);
      const reply = await route.handler(ctx);
      if (reply === null) return;
      const after = await afterCommit(fault, res);
      if (after === 'drop') return;
      sendReply(req, res, after ?? reply);
    } catch (e) {
      if (e instanceof ConnectionDropped) return;
      if (res.headersSent || res.destroyed || req.socket.destroyed) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) return sendReply(req, res, e.toReply());
      if (e instanceof URIError)
        return sendReply(req, res, new HttpError(400, 'BAD_REQUEST', '请求路径编码无效').toReply());
      console.error('[platform] unexpected error:', e);
      sendReply(req, res, new HttpError(500, 'INTERNAL', '平台内部错误').toReply());
    }
  };
}
