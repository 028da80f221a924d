import { describe, expect, it } from 'vitest';
import { formatBytes, reclaimedText } from './space-text.js';

describe('storage wording', () => {
  it('formats byte counts in the unit a reader expects', () => {
    expect(formatBytes(null)).toBe('未知');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB');
    expect(formatBytes(3 * 1024 * 1024 * 1024)).toBe('3.00 GB');
  });

  it('names a reclaimed original by the start of its hash', () => {
    expect(reclaimedText('ab'.repeat(32))).toBe(`原件已清理（平台回执已覆盖，SHA-256 ${'ab'.repeat(8)}…）`);
  });
});
