import { describe, expect, it } from 'vitest';
import { usccFromLicenceQr } from './licence-qr.js';
import { usccCheckChar } from './uscc.js';

const GOOD = '914403001922038216';
const OTHER = `91350213678251743${usccCheckChar('91350213678251743')}`;
const BAD_CHECK = '914403001922038217';

describe('usccFromLicenceQr', () => {
  it('reads the code from a publicity-system link parameter', () => {
    expect(usccFromLicenceQr(`http://www.gsxt.gov.cn/index.html?uniscid=${GOOD}&x=1`)).toEqual({
      ok: true,
      uscc: GOOD,
      checkProblem: null,
    });
    expect(usccFromLicenceQr(`https://example.gov.cn/q?creditCode=${GOOD.toLowerCase()}`)).toMatchObject({
      ok: true,
      uscc: GOOD,
    });
  });

  it('reads the code from plain text, preferring one that passes the check', () => {
    expect(usccFromLicenceQr(`统一社会信用代码：${GOOD}\n名称：某某公司`)).toMatchObject({ uscc: GOOD });
    expect(usccFromLicenceQr(`${BAD_CHECK} ${OTHER}`)).toMatchObject({ uscc: OTHER, checkProblem: null });
  });

  it('keeps a code that fails the check, flagged rather than dropped', () => {
    const out = usccFromLicenceQr(`uniscid=${BAD_CHECK}`);
    expect(out).toMatchObject({ ok: true, uscc: BAD_CHECK });
    expect(out.ok && out.checkProblem).toContain('第18位校验码应为');
  });

  it('does not take a code out of a longer run of characters', () => {
    expect(usccFromLicenceQr(`X${GOOD}`).ok).toBe(false);
    expect(usccFromLicenceQr(`${GOOD}9`).ok).toBe(false);
  });

  it('says so when the code holds no USCC (an opaque link)', () => {
    const out = usccFromLicenceQr('https://www.gsxt.gov.cn/corp-query-entprise-info-abc123.html');
    expect(out).toEqual({
      ok: false,
      error: { kind: 'no-uscc', message: expect.stringContaining('没有统一社会信用代码') },
    });
  });
});
