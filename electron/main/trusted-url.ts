/**
 * URL allowlists, by parsing (never substring checks: `https://evil.example/?app://bundle` must fail).
 * Note: WHATWG `URL.origin` is "null" for non-special schemes such as app://, so the app origin is
 * compared by protocol + host, with no credentials or port allowed.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'bundle';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** True only for app://bundle/… (the renderer's own pages). */
export function isAppBundleUrl(raw: string): boolean {
  const url = parseUrl(raw);
  return (
    url !== null &&
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

/** Permission checks pass an origin ("app://bundle"), sometimes with a trailing slash. */
export function isAppBundleOrigin(raw: string): boolean {
  const url = parseUrl(raw);
  // A non-special scheme keeps an empty path for "app://bundle".
  return (
    isAppBundleUrl(raw) &&
    url !== null &&
    (url.pathname === '' || url.pathname === '/') &&
    url.search === '' &&
    url.hash === ''
  );
}

/** Origin of an http(s) URL, or null (used for CSP connect-src and the external-link allowlist). */
export function httpOrigin(raw: string): string | null {
  const url = parseUrl(raw);
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) return null;
  if (url.username !== '' || url.password !== '') return null;
  return url.origin;
}

/** Plain http is allowed only to the local machine (the demo platform); everything else is https. */
export function isAllowedPlatformUrl(raw: string): boolean {
  const url = parseUrl(raw);
  if (url === null || httpOrigin(raw) === null) return false;
  if (url.protocol === 'https:') return true;
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/** External links open in the system browser only for https URLs on an allowlisted origin. */
export function isAllowedExternalUrl(raw: string, allowedOrigins: readonly string[]): boolean {
  const url = parseUrl(raw);
  return url !== null && url.protocol === 'https:' && allowedOrigins.includes(url.origin);
}
