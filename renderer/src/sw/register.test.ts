import { describe, expect, it } from 'vitest';
import { shouldRegisterServiceWorker } from './register.js';

const web = { prod: true, protocol: 'https:', hasBridge: false, supported: true };

describe('service worker registration', () => {
  it('registers in the production browser build over http(s)', () => {
    expect(shouldRegisterServiceWorker(web)).toBe(true);
    expect(shouldRegisterServiceWorker({ ...web, protocol: 'http:' })).toBe(true);
  });
  it('never registers inside Electron, from app://, in dev, or without support', () => {
    expect(shouldRegisterServiceWorker({ ...web, hasBridge: true })).toBe(false);
    expect(shouldRegisterServiceWorker({ ...web, protocol: 'app:' })).toBe(false);
    expect(shouldRegisterServiceWorker({ ...web, prod: false })).toBe(false);
    expect(shouldRegisterServiceWorker({ ...web, supported: false })).toBe(false);
  });
});
