/**
 * The app:// scheme: app://bundle/… serves the renderer build (dist/renderer) with correct MIME
 * types, the CSP header and an SPA fallback to index.html; app://print/<id>.pdf serves a PDF that
 * the print service registered. Every path is decoded, checked for traversal and confined to its
 * root: a request that would leave the root is refused (403), never resolved.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './trusted-url.js';

export const PRINT_HOST = 'print';

/** Must run before app 'ready'. No service workers inside Electron (browser build only). */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    stream: true,
    codeCache: true,
    corsEnabled: false,
    allowServiceWorkers: false,
    bypassCSP: false,
  },
} as const;

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(filePath: string): string {
  return MIME[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export interface ProtocolOptions {
  /** Absolute path of dist/renderer. */
  readonly rendererRoot: string;
  readonly csp: string;
  /** Looks up a PDF registered by the print service (id → its bytes, kept in memory). */
  readonly printFile: (id: string) => Uint8Array | undefined;
}

export type AppRequest = Pick<Request, 'url' | 'method'>;

/**
 * Resolves a URL pathname inside root. Returns null when the path is malformed or would escape:
 * encoded dot segments (%2e%2e), encoded slashes/backslashes, NUL bytes and absolute paths included.
 */
export function resolveInside(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || /^[a-zA-Z]:$/.test(s))) return null;
  const resolved = path.resolve(root, ...segments);
  const rootWithSep = root.endsWith(path.sep) ? root : root + path.sep;
  return resolved === root || resolved.startsWith(rootWithSep) ? resolved : null;
}

export function createAppProtocolHandler(options: ProtocolOptions): (request: AppRequest) => Promise<Response> {
  const root = path.resolve(options.rendererRoot);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method Not Allowed', options.csp);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'Bad Request', options.csp);
    }
    if (url.port !== '' || url.username !== '' || url.password !== '') return plain(403, 'Forbidden', options.csp);
    if (url.hostname === PRINT_HOST) return servePrint(url, options);
    if (url.hostname !== APP_HOST) return plain(404, 'Not Found', options.csp);
    // Check the raw (still encoded) path as well as the parsed one: "..%2f" survives URL parsing.
    const rawPath = request.url.slice(`${APP_SCHEME}://${APP_HOST}`.length).split(/[?#]/)[0] ?? '/';
    if (resolveInside(root, rawPath) === null) return plain(403, 'Forbidden', options.csp);
    const target = resolveInside(root, url.pathname);
    if (target === null) return plain(403, 'Forbidden', options.csp);
    return serveBundleFile(root, target, options.csp);
  };
}

async function serveBundleFile(root: string, target: string, csp: string): Promise<Response> {
  const file = (await isFile(target)) ? target : spaFallback(root, target);
  if (file === null) return plain(404, 'Not Found', csp);
  try {
    const body = await readFile(file);
    return new Response(new Uint8Array(body), { status: 200, headers: securityHeaders(mimeTypeOf(file), csp) });
  } catch {
    return plain(404, 'Not Found', csp);
  }
}

/** Routes without a file extension are client-side routes: serve index.html. Missing assets are 404. */
function spaFallback(root: string, target: string): string | null {
  return path.extname(target) === '' ? path.join(root, 'index.html') : null;
}

async function servePrint(url: URL, options: ProtocolOptions): Promise<Response> {
  const match = /^\/([A-Za-z0-9-]{8,64})\.pdf$/.exec(url.pathname);
  const body = match?.[1] === undefined ? undefined : options.printFile(match[1]);
  if (body === undefined) return plain(404, 'Not Found', options.csp);
  // No CSP here: Chromium's PDF viewer must be able to embed the document.
  return new Response(new Uint8Array(body), {
    status: 200,
    headers: { 'Content-Type': 'application/pdf', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' },
  });
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

function securityHeaders(contentType: string, csp: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

function plain(status: number, text: string, csp: string): Response {
  return new Response(text, { status, headers: securityHeaders('text/plain; charset=utf-8', csp) });
}
