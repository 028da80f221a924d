import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as realFs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSecretsFile, type SecretsFs } from './secrets-file.store.js';

vi.mock('electron', () => ({}));

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'secrets-file-test-'));
  file = path.join(dir, 'secrets.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const noLog = () => {};
const entry = (data: string) => ({ sealed: true, data });

/** Real fs, with every call recorded in order (and an optional hook before each write). */
function recordingFs(beforeWrite?: (text: string) => Promise<void>) {
  const calls: string[] = [];
  const name = (p: string) => (p === dir ? '<dir>' : p.endsWith('.tmp') ? '<tmp>' : path.basename(p));
  const fs: SecretsFs = {
    readFile: (f, e) => realFs.readFile(f, e),
    mkdir: (d, o) => realFs.mkdir(d, o),
    access: (f) => realFs.access(f),
    unlink: (f) => realFs.unlink(f),
    rename: async (a, b) => {
      calls.push(`rename ${name(a)} -> ${name(b)}`);
      await realFs.rename(a, b);
    },
    open: async (f, flags, mode) => {
      const handle = await realFs.open(f, flags, mode);
      const who = name(f);
      calls.push(`open ${who}`);
      return {
        writeFile: async (text, enc) => {
          calls.push(`write-start ${who} ${text}`);
          await beforeWrite?.(text);
          await handle.writeFile(text, enc);
          calls.push(`write-end ${who}`);
        },
        sync: async () => {
          calls.push(`fsync ${who}`);
          await handle.sync();
        },
        close: () => handle.close(),
      };
    },
  };
  return { fs, calls };
}

describe('secrets file', () => {
  it('writes, reads back and survives a reopen', async () => {
    const store = createSecretsFile({ file, log: noLog });
    await store.update((e) => void (e['a'] = entry('1')));
    expect(await store.read()).toEqual({ a: entry('1') });
    expect(await createSecretsFile({ file, log: noLog }).read()).toEqual({ a: entry('1') });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ v: 1, entries: { a: entry('1') } });
  });

  it.each([
    ['garbage', '{"v":1,"entries":{"a":'],
    ['valid JSON of the wrong shape', '{"v":1,"entries":{"a":"not-an-entry"}}'],
    ['binary noise', '\u0000\u0001\u0002'],
  ])('sets a file of %s aside as .bad and starts empty, without blocking writes', async (_name, text) => {
    writeFileSync(file, text);
    const lines: string[] = [];
    const store = createSecretsFile({ file, log: (m) => lines.push(m) });
    expect(await store.read()).toEqual({});
    expect(readFileSync(`${file}.bad`, 'utf8')).toBe(text);
    expect(lines.join('\n')).toContain('set aside');
    await store.update((e) => void (e['b'] = entry('2')));
    expect(await createSecretsFile({ file, log: noLog }).read()).toEqual({ b: entry('2') });
  });

  it('keeps an earlier .bad file: the next one gets a timestamp suffix', async () => {
    writeFileSync(`${file}.bad`, 'first');
    writeFileSync(file, 'second');
    const now = () => new Date('2026-05-06T02:03:04.005Z');
    expect(await createSecretsFile({ file, log: noLog, now }).read()).toEqual({});
    expect(readFileSync(`${file}.bad`, 'utf8')).toBe('first');
    expect(readFileSync(`${file}.bad-2026-05-06T02-03-04-005Z`, 'utf8')).toBe('second');
    writeFileSync(file, 'third');
    expect(await createSecretsFile({ file, log: noLog, now }).read()).toEqual({});
    expect(readFileSync(`${file}.bad-2026-05-06T02-03-04-005Z-1`, 'utf8')).toBe('third');
  });

  it('reads an empty file as an empty store and leaves no .bad behind', async () => {
    writeFileSync(file, '');
    const store = createSecretsFile({ file, log: noLog });
    expect(await store.read()).toEqual({});
    expect(existsSync(`${file}.bad`)).toBe(false);
    await store.update((e) => void (e['a'] = entry('1')));
    expect(await store.read()).toEqual({ a: entry('1') });
  });

  it('fsyncs the temp file before renaming it over the file, then fsyncs the directory', async () => {
    const { fs, calls } = recordingFs();
    const store = createSecretsFile({ file, log: noLog, fs, platform: 'linux' });
    await store.update((e) => void (e['a'] = entry('1')));
    expect(calls.filter((c) => !c.startsWith('write-start'))).toEqual([
      'open <tmp>',
      'write-end <tmp>',
      'fsync <tmp>',
      'rename <tmp> -> secrets.json',
      'open <dir>',
      'fsync <dir>',
    ]);
    expect(readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('serialises concurrent writes: one at a time, in call order, none lost', async () => {
    let release: () => void = () => {};
    const firstWriteHeld = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    const { fs, calls } = recordingFs(async () => {
      // Hold the first write open until every other update has been requested.
      if (!held) {
        held = true;
        await firstWriteHeld;
      }
    });
    const store = createSecretsFile({ file, log: noLog, fs, platform: 'linux' });
    const writes = ['a', 'b', 'c', 'd'].map((k, i) => store.update((e) => void (e[k] = entry(String(i)))));
    const read = store.read();
    release();
    await Promise.all(writes);
    const starts = calls.flatMap((c, i) => (c.startsWith('write-start') ? [i] : []));
    const ends = calls.flatMap((c, i) => (c.startsWith('write-end') ? [i] : []));
    expect(starts).toHaveLength(4);
    // Write n+1 starts only after write n has ended (and been renamed into place).
    for (let n = 1; n < 4; n += 1) expect(starts[n]).toBeGreaterThan(ends[n - 1] ?? Infinity);
    // In call order: each write holds exactly the keys requested so far.
    const written = calls
      .filter((c) => c.startsWith('write-start'))
      .map((c) => Object.keys(JSON.parse(c.split(' ').slice(2).join(' ')).entries).join(''));
    expect(written).toEqual(['a', 'ab', 'abc', 'abcd']);
    expect(Object.keys(await read).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(Object.keys(await createSecretsFile({ file, log: noLog }).read()).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a failed write changes nothing, removes its temp file and does not stop later writes', async () => {
    const { fs } = recordingFs();
    let failRename = true;
    const flaky: SecretsFs = {
      ...fs,
      rename: async (a, b) => {
        if (failRename) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
        return fs.rename(a, b);
      },
    };
    const store = createSecretsFile({ file, log: noLog, fs: flaky, platform: 'linux' });
    await expect(store.update((e) => void (e['a'] = entry('1')))).rejects.toThrow('disk full');
    expect(await store.read()).toEqual({});
    expect(readdirSync(dir)).toEqual([]);
    failRename = false;
    await store.update((e) => void (e['b'] = entry('2')));
    expect(await store.read()).toEqual({ b: entry('2') });
  });
});
