import { describe, expect, it } from 'vitest';
import {
  chineseNumeral,
  formatDateCn,
  formatDateTimeCn,
  formatDocNo,
  formatTimeRangeCn,
  verificationUrl,
} from './format.js';
import { fontCovers, missingGlyphs } from './glyphs.js';

describe('document formatting', () => {
  it('prints dates the Chinese way', () => {
    expect(formatDateCn('2026-03-05')).toBe('2026年3月5日');
    expect(() => formatDateCn('2026/03/05')).toThrow('日期格式不正确');
  });

  it('prints instants in Beijing time whatever offset they were stored with', () => {
    expect(formatDateTimeCn('2026-03-12T09:05:00+08:00')).toBe('2026年3月12日9时05分');
    expect(formatDateTimeCn('2026-03-12T01:05:00Z')).toBe('2026年3月12日9时05分');
    expect(formatDateTimeCn('2026-03-11T17:30:00Z')).toBe('2026年3月12日1时30分');
  });

  it('does not repeat the date in a same-day range', () => {
    expect(formatTimeRangeCn('2026-03-12T09:05:00+08:00', '2026-03-12T10:40:00+08:00')).toBe(
      '2026年3月12日9时05分至10时40分',
    );
    expect(formatTimeRangeCn('2026-03-12T16:00:00+08:00', '2026-03-13T09:10:00+08:00')).toBe(
      '2026年3月12日16时00分至2026年3月13日9时10分',
    );
  });

  it('formats document numbers with hexagonal brackets and a padded serial', () => {
    expect(formatDocNo('威环市监检通', 2026, 12)).toBe('威环市监检通〔2026〕0012号');
    expect(formatDocNo('鹿市监现笔', 2026, 31, 3)).toBe('鹿市监现笔〔2026〕031号');
    expect(() => formatDocNo('x', 2026, 0)).toThrow('正整数');
  });

  it('builds the verification link the public page answers', () => {
    const v = { platformUrl: 'https://p.example.cn/', resultId: 'res-1', contentHash: 'ab'.repeat(32) };
    expect(verificationUrl(v)).toBe(`https://p.example.cn/public/verify?result=res-1&hash=${'ab'.repeat(32)}`);
  });

  it('numbers sections in Chinese', () => {
    expect([1, 4, 10, 12, 20, 25].map(chineseNumeral)).toEqual(['一', '四', '十', '十二', '二十', '二十五']);
  });
});

describe('glyph coverage of the embedded font', () => {
  it('covers the rare characters of real names and places', () => {
    expect(missingGlyphs('温州喆堃犇㙟五金机电有限公司')).toEqual([]);
    expect(fontCovers(0x365f)).toBe(true); // 㙟, CJK Ext-A
  });

  it('reports characters the font lacks, once each', () => {
    expect(missingGlyphs('𠮷野家𠮷')).toEqual(['𠮷']); // U+20BB7, Ext-B
    expect(missingGlyphs('\u9ff0')).toEqual(['\u9ff0']);
  });

  it('knows the few supplementary ideographs it does cover', () => {
    expect(fontCovers(0x2b5ae)).toBe(true);
    expect(fontCovers(0x20bb7)).toBe(false);
  });
});
