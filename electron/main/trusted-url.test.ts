import { describe, expect, it } from 'vitest';
import {
  httpOrigin,
  isAllowedExternalUrl,
  isAllowedPlatformUrl,
  isAppBundleOrigin,
  isAppBundleUrl,
} from './trusted-url.js';

describe('isAppBundleUrl', () => {
  it.each(['app://bundle/', 'app://bundle/index.html', 'app://bundle/tasks/42?x=1#y'])('accepts %s', (url) => {
    expect(isAppBundleUrl(url)).toBe(true);
  });
  it.each([
    'https://evil.example/?app://bundle/',
    'https://app.bundle/',
    'app://bundle.evil.example/',
    'app://evil/bundle',
    'app://user:pw@bundle/',
    'app://bundle:8080/',
    'file:///app://bundle/',
    'javascript:app://bundle/',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAppBundleUrl(url)).toBe(false);
  });
});

describe('isAppBundleOrigin', () => {
  it('accepts the origin with or without slash, refuses paths and others', () => {
    expect(isAppBundleOrigin('app://bundle')).toBe(true);
    expect(isAppBundleOrigin('app://bundle/')).toBe(true);
    expect(isAppBundleOrigin('app://bundle/x')).toBe(false);
    expect(isAppBundleOrigin('https://bundle')).toBe(false);
  });
});

describe('platform and external URLs', () => {
  it('requires https except on the loopback demo platform', () => {
    expect(isAllowedPlatformUrl('https://platform.example.gov.cn/api')).toBe(true);
    expect(isAllowedPlatformUrl('http://127.0.0.1:8787')).toBe(true);
    expect(isAllowedPlatformUrl('http://localhost:8787')).toBe(true);
    expect(isAllowedPlatformUrl('http://platform.example.gov.cn')).toBe(false);
    expect(isAllowedPlatformUrl('http://127.0.0.1.evil.example')).toBe(false);
    expect(isAllowedPlatformUrl('ftp://127.0.0.1')).toBe(false);
  });
  it('opens external links only for allowlisted https origins, compared after parsing', () => {
    const allowed = ['https://gs.example.gov.cn'];
    expect(isAllowedExternalUrl('https://gs.example.gov.cn/notice/1', allowed)).toBe(true);
    expect(isAllowedExternalUrl('https://gs.example.gov.cn.evil.example/', allowed)).toBe(false);
    expect(isAllowedExternalUrl('https://evil.example/?https://gs.example.gov.cn', allowed)).toBe(false);
    expect(isAllowedExternalUrl('http://gs.example.gov.cn/', allowed)).toBe(false);
  });
  it('gives http(s) origins only', () => {
    expect(httpOrigin('https://a.example:8443/x?y')).toBe('https://a.example:8443');
    expect(httpOrigin('app://bundle/')).toBeNull();
    expect(httpOrigin('https://u:p@a.example/')).toBeNull();
  });
});
