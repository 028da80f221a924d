/**
 * Thread: service worker (browser build only, registered from the window by register.ts).
 *
 * Service worker of the browser build only (never registered inside Electron). Precaches the
 * built files listed at build time (vite.config.ts replaces the placeholder), serves same-origin
 * GETs cache-first so the app reloads offline, and fetches app-config.json network-first.
 * Cross-origin requests (the platform API) are never touched.
 *
 * The renderer tsconfig has DOM types only, so the few service-worker types used here are
 * declared locally instead of pulling in the WebWorker lib for the whole app.
 */

interface ExtendableEventLike extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(r: Promise<Response> | Response): void;
}
interface SwScope {
  readonly location: Location;
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', fn: (e: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', fn: (e: FetchEventLike) => void): void;
}

interface PrecacheManifest {
  readonly version: string;
  readonly files: readonly string[];
}

// Set at build time: the precache plugin (vite.config.ts) prepends
// `self.__PRECACHE_MANIFEST__ = {"version": "...", "files": [...]};` to the emitted sw.js.
const injected = (globalThis as { __PRECACHE_MANIFEST__?: PrecacheManifest }).__PRECACHE_MANIFEST__;
const manifest: PrecacheManifest = injected ?? { version: 'dev', files: [] };

const scope = globalThis as unknown as SwScope;
const CACHE_PREFIX = 'smart-inspect-shell-';
const CACHE_NAME = `${CACHE_PREFIX}${manifest.version}`;
const CONFIG_FILE = 'app-config.json';

function absolute(file: string): string {
  return new URL(file, scope.registration.scope).href;
}

scope.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      await cache.addAll(manifest.files.map(absolute));
      await scope.skipWaiting();
    })(),
  );
});

scope.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE_NAME).map((n) => caches.delete(n)),
      );
      await scope.clients.claim();
    })(),
  );
});

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE_NAME);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE_NAME);
  // Navigations (any ?platform=… query) are answered with the cached app shell.
  const key = request.mode === 'navigate' ? absolute('./') : request;
  const cached = await cache.match(key, { ignoreSearch: request.mode === 'navigate', ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

scope.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.location.origin) return; // platform API and anything else: untouched
  if (!url.href.startsWith(scope.registration.scope)) return;
  if (url.pathname.endsWith(`/${CONFIG_FILE}`)) {
    event.respondWith(networkFirst(request));
    return;
  }
  event.respondWith(cacheFirst(request));
});
