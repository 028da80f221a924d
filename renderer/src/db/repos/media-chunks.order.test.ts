/** A recording's chunks in order: each read while the one before it is used, and an error where it belongs. */
import { describe, expect, it } from 'vitest';
import { chunksInOrder } from './media-chunks.repo.js';

function source(fail: number | null = null) {
  const log: string[] = [];
  return {
    log,
    read: async (_id: string, index: number) => {
      log.push(`read ${index}`);
      if (index === fail) throw new Error(`第 ${index + 1} 段无法读取`);
      return Uint8Array.of(index);
    },
  };
}

describe('chunksInOrder', () => {
  it('yields every chunk in order, asking for the next before the caller has used the current one', async () => {
    const s = source();
    for await (const bytes of chunksInOrder(s, 'att-1', 3)) s.log.push(`use ${bytes[0]}`);
    expect(s.log).toEqual(['read 0', 'read 1', 'use 0', 'read 2', 'use 1', 'use 2']);
  });

  it('yields nothing for no chunks, and throws a failed chunk where the caller reaches it', async () => {
    const none = source();
    for await (const _ of chunksInOrder(none, 'att-1', 0)) throw new Error('unexpected chunk');
    expect(none.log).toEqual([]);
    const s = source(1);
    const used: number[] = [];
    await expect(
      (async () => {
        for await (const bytes of chunksInOrder(s, 'att-1', 3)) used.push(bytes[0]!);
      })(),
    ).rejects.toThrow('第 2 段无法读取');
    expect(used).toEqual([0]);
  });

  it('a caller that stops early leaves no unhandled rejection behind', async () => {
    const s = source(1);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      for await (const bytes of chunksInOrder(s, 'att-1', 3)) if (bytes[0] === 0) break;
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(s.log).toEqual(['read 0', 'read 1']);
    expect(unhandled).toEqual([]);
  });
});
