import { describe, expect, it } from 'vitest';
import { usccIssue } from './UsccCheck.js';

describe('usccIssue', () => {
  it('says nothing for a valid code', () => {
    expect(usccIssue('91350213678251743X')).toBeNull();
  });
  it('names the expected check character of an irregular code', () => {
    expect(usccIssue('91350203M0001QAY9B')).toContain('第18位校验码应为“9”，实为“B”');
  });
});
