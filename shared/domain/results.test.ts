import { describe, expect, it } from 'vitest';
import { resultCodesError, toggleResultCode } from './results.js';

describe('result codes', () => {
  it('ticking 未发现问题 clears every other code', () => {
    expect(toggleResultCode(['CORRECTED', 'PENDING'], 'NO_PROBLEM')).toEqual(['NO_PROBLEM']);
  });
  it('ticking another code clears 未发现问题', () => {
    expect(toggleResultCode(['NO_PROBLEM'], 'CORRECTED')).toEqual(['CORRECTED']);
  });
  it('keeps several non-exclusive codes in canonical order', () => {
    expect(toggleResultCode(toggleResultCode([], 'UNREACHABLE'), 'CORRECTED')).toEqual(['CORRECTED', 'UNREACHABLE']);
  });
  it('unticks a ticked code', () => {
    expect(toggleResultCode(['CORRECTED', 'PENDING'], 'PENDING')).toEqual(['CORRECTED']);
  });
  it('validates a final selection', () => {
    expect(resultCodesError([])).toBe('请至少选择一项检查结果');
    expect(resultCodesError(['NO_PROBLEM', 'PENDING'])).toContain('不能与其他检查结果同时选择');
    expect(resultCodesError(['BOGUS'])).toContain('BOGUS');
    expect(resultCodesError(['PENDING', 'PENDING'])).toBe('检查结果有重复项');
    expect(resultCodesError(['CORRECTED', 'PENDING'])).toBeNull();
    expect(resultCodesError(['NO_PROBLEM'])).toBeNull();
  });
});
