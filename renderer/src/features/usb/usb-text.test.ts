import { describe, expect, it } from 'vitest';
import { exportedText, progressText, receiptsText } from './usb-text.js';

describe('USB transfer wording', () => {
  it('states progress per step', () => {
    expect(progressText({ step: 'collect', done: 1, total: 3 })).toBe('正在读取结果和证据（1/3）');
    expect(progressText({ step: 'seal', done: 512, total: 1024 })).toBe('正在加密打包 50%');
    expect(progressText({ step: 'verify', done: 0, total: 0 })).toBe('正在核验回执（0/0）');
  });

  it('says exported results are still pending and what a receipts file did', () => {
    expect(exportedText(2, '已下载 a.sibundle')).toContain('仍在“待上传”中');
    expect(receiptsText(2, 1)).toBe('回执已核验：2 条结果已被平台接收（其中 1 条已公示）。');
    expect(receiptsText(0, 0)).toContain('此前已标记');
  });
});
