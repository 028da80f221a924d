/**
 * A small real HTTP server for the built renderer (dist/renderer): the browser build as a station
 * would host it. Serves files with correct MIME types, never outside the root, `index.html` for
 * unknown paths (hash routing keeps this rare), and a generated `app-config.json` that tells the app
 * which platform to talk to. Used by `npm start` and by the Playwright suite. Listens on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export interface AppConfig {
  readonly platformUrl: string;
  readonly demo: boolean;
  readonly stationName?: string;
  /** The platform's log verifier key the app pins (the simulator's `logKey`). */
  readonly platformLogKey?: string;
  /** The platform's USB bundle key the app pins (the simulator's `bundleKey`). */
  readonly platformBundleKey?: string;
}

export interface StaticServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Resolve a request path inside root, or null when it would escape it. */
export function safeJoin(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = resolve(root, '.' + normalize('/' + decoded));
  const rootResolved = resolve(root);
  return full === rootResolved || full.startsWith(rootResolved + sep) ? full : null;
}

export async function serveStatic(opts: { root: string; port?: number; appConfig: AppConfig }): Promise<StaticServer> {
  const root = resolve(opts.root);
  const configBody = JSON.stringify(opts.appConfig);
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path === '/app-config.json') {
        res.writeHead(200, { 'Content-Type': MIME['.json'], 'Cache-Control': 'no-cache' }).end(configBody);
        return;
      }
      let file = safeJoin(root, path === '/' ? '/index.html' : path);
      if (!file) {
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('bad path');
        return;
      }
      const info = await stat(file).catch(() => null);
      if (!info || !info.isFile()) {
        if (extname(path)) {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
          return;
        }
        file = join(root, 'index.html');
      }
      const body = await readFile(file);
      const type = MIME[extname(file)] ?? 'application/octet-stream';
      const hashed = /[-.][A-Za-z0-9_-]{8,}\.(js|css|ttf|woff2|png|svg)$/.test(file);
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': body.length,
        'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    })().catch((err: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(String(err));
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
