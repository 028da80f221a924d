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

  it('reads the next chunk while a slice goes out; a failed read is not kept: the slice and its retry read again', async () => {
    const file = Uint8Array.from({ length: 900 }, (_, i) => (i * 5) & 0xff);
    const chunkSize = 300;
    const opened: number[] = [];
    let failNext = 2; // the first two reads of chunk 1 fail (a disk or decryption error)
    const reader = sealedMediaReader(
      {
        async read(_id, index) {
          opened.push(index);
          if (index === 1 && failNext-- > 0) throw new Error('读取失败');
          return file.slice(index * chunkSize, (index + 1) * chunkSize);
        },
      },
      { id: 'att-1', size: file.length, chunkSize },
    );
    const source = await reader.openFile(null as never, 0);
    await source.slice(0, 300);
    expect(opened).toEqual([0, 1]); // chunk 1 asked for before its slice is
    // That read failed: the slice reads chunk 1 again (and chunk 2 ahead), and fails with it.
    await expect(source.slice(300, 600)).rejects.toThrow('读取失败');
    expect(opened).toEqual([0, 1, 1, 2]);
    // tus retries the slice: chunk 1 is read a third time, chunk 2 is the one already read ahead.
    const retried = await source.slice(300, 600);
    expect(new Uint8Array(await (retried.value as Blob).arrayBuffer())).toEqual(file.slice(300, 600));
    expect(opened).toEqual([0, 1, 1, 2, 1]);
    const last = await source.slice(600, 900);
    expect(new Uint8Array(await (last.value as Blob).arrayBuffer())).toEqual(file.slice(600, 900));
    expect(last.done).toBe(true);
    expect(opened).toEqual([0, 1, 1, 2, 1]); // nothing past the end
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
