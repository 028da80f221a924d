import { describe, expect, it } from 'vitest';
import { acceptUscc, orgCodeCheckChar, orgCodeWarning, usccCheckChar, validateUscc, usccCheckFailure } from './uscc.js';

describe('USCC (GB 32100)', () => {
  it('accepts real, correctly checked codes', () => {
    for (const code of ['914403001922038216', '91350213678251743X', '91440101MA5CJQ4N59', '123502001549897397']) {
      expect(validateUscc(code)).toMatchObject({ ok: true, uscc: code });
    }
  });

  it('computes the check character of the worked example', () => {
    expect(usccCheckChar('91440300192203821')).toBe('6');
    expect(usccCheckChar('91350213678251743')).toBe('X');
  });

  it('computes the organisation-code check (pos 17)', () => {
    expect(orgCodeCheckChar('19220382')).toBe('1');
    expect(orgCodeWarning('914403001922038216')).toBeNull();
  });

  it('normalises case and whitespace', () => {
    expect(validateUscc('  91350213678251743x ')).toMatchObject({ ok: true, uscc: '91350213678251743X' });
  });

  it('flags the real-but-irregular code with the expected character', () => {
    const v = validateUscc('91350203M0001QAY9B');
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.problem).toEqual({ kind: 'check', expected: '9', actual: 'B' });
      expect(v.message).toContain('第18位校验码应为“9”');
    }
  });

  it('rejects wrong length and forbidden characters with the position', () => {
    expect(validateUscc('9135')).toMatchObject({ ok: false, problem: { kind: 'length', length: 4 } });
    expect(validateUscc('91350213OFFL51743X')).toMatchObject({
      ok: false,
      problem: { kind: 'charset', position: 9, char: 'O' },
    });
    expect(validateUscc('9135A213678251743X')).toMatchObject({ ok: false, problem: { kind: 'charset', position: 5 } });
  });

  it('accepts an irregular check character only with a reasoned override', () => {
    expect(acceptUscc('91350203M0001QAY9B').ok).toBe(false);
    expect(acceptUscc('91350203M0001QAY9B', { reason: ' ', by: 'x', at: '2026-01-01' }).ok).toBe(false);
    expect(
      acceptUscc('91350203M0001QAY9B', { reason: '与营业执照原件核对一致', by: 'x', at: '2026-01-01' }),
    ).toMatchObject({
      ok: true,
      overridden: true,
    });
  });

  it('never overrides shape errors', () => {
    expect(acceptUscc('91350213OFFL51743X', { reason: '与营业执照原件核对一致', by: 'x', at: '2026-01-01' }).ok).toBe(
      false,
    );
  });
});

describe('usccCheckFailure', () => {
  it('names a failed GB 32100 check, and not the advisory position-17 one', () => {
    expect(usccCheckFailure('91350213678251743X')).toBeNull();
    expect(usccCheckFailure('91350203M0001QAY9B')).toBe('第18位校验码应为“9”，实为“B”');
    const advisoryOnly = '91330100000000001C'; // passes GB 32100, fails the GB 11714 check of position 17
    expect(usccCheckFailure(advisoryOnly)).toBeNull();
    expect(orgCodeWarning(advisoryOnly)).toBe('第17位（组织机构代码校验位）应为“0”，实为“1”');
  });
});
