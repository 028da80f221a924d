/**
 * Default-deny policy for every webContents and the session: navigation and redirects only inside
 * app://bundle, no new windows (allowlisted https links go to the system browser instead), no
 * <webview>, and for app://bundle only two permissions: the camera (evidence photos, licence QR scans)
 * and geolocation (where each piece of evidence was taken). The microphone stays denied: nothing in
 * the app records sound, and a `media` request that includes audio is refused as a whole.
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

/** What a `media` request or check asks for: `video` is the camera, `audio` the microphone. */
export type MediaKinds = readonly ('video' | 'audio' | 'unknown')[];

/**
 * Only geolocation and the camera, only for the app's own origin. A `media` permission counts as the
 * camera only when it names video and nothing else. Everything else Electron would auto-approve is denied.
 */
export function isPermissionAllowed(permission: string, origin: string, media: MediaKinds = []): boolean {
  if (!isAppBundleOrigin(origin)) return false;
  if (permission === 'geolocation') return true;
  return permission === 'media' && media.length > 0 && media.every((m) => m === 'video');
}

export function installPermissionPolicy(session: Session, log: Log): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const media = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    const allowed = isPermissionAllowed(permission, originOf(details.requestingUrl), media);
    if (!allowed) log('denied permission request', { permission, media, url: details.requestingUrl });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, requestingOrigin, details.mediaType ? [details.mediaType] : []),
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
