/** The tus reader of a sealed recording gives exactly the file's bytes for any slice, one chunk opened at a time. */
import { describe, expect, it } from 'vitest';
import { sealedMediaReader } from './tus-stack.js';

describe('sealed media reader for tus', () => {
  it('assembles slices across chunk boundaries byte-exactly and opens each chunk once for consecutive slices', async () => {
    const file = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    const chunkSize = 300;
    const opened: number[] = [];
    const reader = sealedMediaReader(
      {
        async read(_id, index) {
          opened.push(index);
          return file.slice(index * chunkSize, (index + 1) * chunkSize);
        },
      },
      { id: 'att-1', size: file.length, chunkSize },
    );
    const source = await reader.openFile(null as never, 0);
    const got: number[] = [];
    for (let at = 0; at < file.length; at += 250) {
      const { value, done } = await source.slice(at, at + 250);
      got.push(...new Uint8Array(await (value as Blob).arrayBuffer()));
      expect(done).toBe(at + 250 >= file.length);
    }
    expect(Uint8Array.from(got)).toEqual(file);
    expect(opened).toEqual([0, 1, 2, 3]);
    // A resume starts mid-chunk, wherever the server's offset is.
    const resumed = await source.slice(617, 700);
    expect(new Uint8Array(await (resumed.value as Blob).arrayBuffer())).toEqual(file.slice(617, 700));
  });

  it('refuses a chunk shorter than the row says instead of sending a short file', async () => {
    const reader = sealedMediaReader(
      { read: async () => new Uint8Array(10) },
      { id: 'att-1', size: 100, chunkSize: 50 },
    );
    const source = await reader.openFile(null as never, 0);
    await expect(source.slice(0, 50)).rejects.toThrow('比记录的短');
  });
});
