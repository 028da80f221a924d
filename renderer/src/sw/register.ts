/**
 * Registers the service worker for the browser build only: not inside Electron (the preload
 * exposes `api` on globalThis), only over http(s), only in production builds.
 */
export function shouldRegisterServiceWorker(env: {
  prod: boolean;
  protocol: string;
  hasBridge: boolean;
  supported: boolean;
}): boolean {
  return env.prod && env.supported && !env.hasBridge && (env.protocol === 'http:' || env.protocol === 'https:');
}

export function registerServiceWorker(): void {
  const ok = shouldRegisterServiceWorker({
    prod: import.meta.env.PROD,
    protocol: location.protocol,
    hasBridge: 'api' in globalThis,
    supported: 'serviceWorker' in navigator,
  });
  if (!ok) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((err: unknown) => {
      console.warn('service worker registration failed', err);
    });
  });
}
