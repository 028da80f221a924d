/**
 * Default-deny policy for every webContents and the session: navigation and redirects only inside
 * app://bundle, no new windows (allowlisted https links go to the system browser instead), no
 * <webview>, and no permissions except `media` (camera for evidence photos) for app://bundle.
 */
import type { Session, WebContents } from 'electron';
import { isAllowedExternalUrl, isAppBundleOrigin, isAppBundleUrl } from './trusted-url.js';

export type Log = (message: string, detail?: Record<string, unknown>) => void;

export interface HardenOptions {
  /** https origins that may be opened in the system browser (e.g. the publicity portal). */
  readonly externalOrigins: readonly string[];
  readonly openExternal: (url: string) => Promise<void>;
  readonly log: Log;
}

interface PreventableEvent {
  preventDefault(): void;
}

/** Applied from app.on('web-contents-created') so it covers every window, including print windows. */
export function hardenWebContents(contents: WebContents, options: HardenOptions): void {
  const guardNavigation = (kind: string) => (event: PreventableEvent, url: string) => {
    if (isAppBundleUrl(url)) return;
    event.preventDefault();
    options.log(`blocked ${kind}`, { url });
  };
  contents.on('will-navigate', guardNavigation('navigation'));
  contents.on('will-redirect', guardNavigation('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.log('blocked webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url, options.externalOrigins)) {
      options
        .openExternal(url)
        .catch((error: unknown) => options.log('openExternal failed', { url, error: String(error) }));
    } else {
      options.log('blocked new window', { url });
    }
    return { action: 'deny' };
  });
}

/** Only `media`, only for the app's own origin. Everything else Electron would auto-approve is denied. */
export function isPermissionAllowed(permission: string, origin: string): boolean {
  return permission === 'media' && isAppBundleOrigin(origin);
}

export function installPermissionPolicy(session: Session, log: Log): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, originOf(details.requestingUrl));
    if (!allowed) log('denied permission request', { permission, url: details.requestingUrl });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );
}

function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '';
  }
}
