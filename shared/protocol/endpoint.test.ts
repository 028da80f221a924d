import { describe, expect, it } from 'vitest';
import { API, platformEndpoint } from './index.js';

describe('platformEndpoint', () => {
  it('keeps the path prefix of the configured platform URL', () => {
    expect(platformEndpoint('https://jianguan.example.gov.cn/api', API.login)).toBe(
      'https://jianguan.example.gov.cn/api/v1/auth/login',
    );
    expect(platformEndpoint('https://jianguan.example.gov.cn/api/', API.result('r 1'))).toBe(
      'https://jianguan.example.gov.cn/api/v1/results/r%201',
    );
  });

  it('works for a platform at the host root', () => {
    expect(platformEndpoint('http://127.0.0.1:8787', API.tasks)).toBe('http://127.0.0.1:8787/v1/sync/tasks');
  });
});
