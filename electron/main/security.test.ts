import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { hardenWebContents, installPermissionPolicy, isPermissionAllowed } from './security.js';

vi.mock('electron', () => ({}));

type Listener = (event: { preventDefault: () => void }, url: string) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (name: string, listener: Listener) => listeners.set(name, listener),
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  };
  const fire = (name: string, url = '') => {
    const event = { preventDefault: vi.fn() };
    listeners.get(name)?.(event, url);
    return event.preventDefault.mock.calls.length > 0;
  };
  const open = (url: string) => openHandler?.({ url });
  return { contents: contents as unknown as WebContents, fire, open };
}

function harden() {
  const fake = fakeContents();
  const openExternal = vi.fn(async () => {});
  hardenWebContents(fake.contents, { externalOrigins: ['https://gs.example.gov.cn'], openExternal, log: () => {} });
  return { ...fake, openExternal };
}

describe('navigation policy', () => {
  it('allows navigation and redirects inside app://bundle only', () => {
    const { fire } = harden();
    expect(fire('will-navigate', 'app://bundle/tasks')).toBe(false);
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'https://evil.example/?app://bundle/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(fire('will-redirect', 'app://bundle/index.html')).toBe(false);
  });

  it('prevents every <webview>', () => {
    expect(harden().fire('will-attach-webview')).toBe(true);
  });

  it('denies every new window; allowlisted https links go to the system browser', () => {
    const { open, openExternal } = harden();
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('app://bundle/index.html')).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    expect(open('https://gs.example.gov.cn/notice')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://gs.example.gov.cn/notice');
    expect(open('https://gs.example.gov.cn.evil.example/')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });
});

describe('permission policy', () => {
  it('allows only the camera and geolocation, only for app://bundle; never the microphone', () => {
    expect(isPermissionAllowed('media', 'app://bundle', ['video'])).toBe(true);
    expect(isPermissionAllowed('geolocation', 'app://bundle')).toBe(true);
    expect(isPermissionAllowed('media', 'https://evil.example', ['video'])).toBe(false);
    expect(isPermissionAllowed('geolocation', 'https://evil.example')).toBe(false);
    expect(isPermissionAllowed('geolocation', 'app://bundle.evil.example')).toBe(false);
    expect(isPermissionAllowed('media', 'app://bundle', ['audio'])).toBe(false);
    expect(isPermissionAllowed('media', 'app://bundle', ['video', 'audio'])).toBe(false);
    expect(isPermissionAllowed('media', 'app://bundle', ['unknown'])).toBe(false);
    expect(isPermissionAllowed('media', 'app://bundle', [])).toBe(false);
    for (const p of ['notifications', 'clipboard-read', 'openExternal', 'midi', 'hid', 'usb', 'fullscreen']) {
      expect(isPermissionAllowed(p, 'app://bundle', ['video'])).toBe(false);
    }
  });

  it('installs request and check handlers on the session that apply the policy', () => {
    type Details = { requestingUrl: string; mediaTypes?: ('video' | 'audio')[] };
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void, d: Details) => void) | undefined;
    let check: ((c: unknown, p: string, origin: string, d: { mediaType?: string }) => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    } as unknown as Session;
    installPermissionPolicy(session, () => {});
    const answers: boolean[] = [];
    const ask = (p: string, d: Details) => request?.(null, p, (ok) => answers.push(ok), d);
    ask('media', { requestingUrl: 'app://bundle/inspection', mediaTypes: ['video'] });
    ask('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['video'] });
    ask('geolocation', { requestingUrl: 'app://bundle/' });
    ask('media', { requestingUrl: 'app://bundle/inspection', mediaTypes: ['video', 'audio'] });
    ask('geolocation', { requestingUrl: 'https://evil.example/' });
    expect(answers).toEqual([true, false, true, false, false]);
    expect(check?.(null, 'media', 'app://bundle', { mediaType: 'video' })).toBe(true);
    expect(check?.(null, 'media', 'app://bundle', { mediaType: 'audio' })).toBe(false);
    expect(check?.(null, 'geolocation', 'app://bundle', {})).toBe(true);
    expect(check?.(null, 'notifications', 'app://bundle', {})).toBe(false);
  });
});
