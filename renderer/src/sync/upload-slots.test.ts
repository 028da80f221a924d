/**
 * The upload slots: a fixed number of uploads at once, the result being sent before the look-ahead,
 * first come, first served within each line, and a look-ahead entry moved forward when its turn comes.
 */
import { describe, expect, it } from 'vitest';
import { uploadSlots } from './upload-slots.js';

/** Lets every pending promise callback and timer of this turn run. */
const settleTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

function harness(slots: number) {
  const run = uploadSlots(slots);
  const started: string[] = [];
  const release = new Map<string, () => void>();
  const add = (name: string, line: 'now' | 'ahead') =>
    run(async () => {
      started.push(name);
      await new Promise<void>((resolve) => release.set(name, resolve));
      return name;
    }, line);
  const finish = async (name: string) => {
    release.get(name)!();
    await settleTurn();
  };
  return { add, started, finish };
}

describe('upload slots', () => {
  it('two slots run two at a time, and the next in line takes each freed slot first come, first served', async () => {
    const h = harness(2);
    const done = ['a', 'b', 'c', 'd'].map((n) => h.add(n, 'now').done);
    await settleTurn();
    expect(h.started).toEqual(['a', 'b']);
    await h.finish('b');
    expect(h.started).toEqual(['a', 'b', 'c']);
    await h.finish('a');
    await h.finish('c');
    await h.finish('d');
    expect(await Promise.all(done)).toEqual(['a', 'b', 'c', 'd']);
    expect(h.started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('the result being sent takes a freed slot before uploads queued earlier by the look-ahead', async () => {
    const h = harness(1);
    h.add('ahead-1', 'ahead');
    h.add('ahead-2', 'ahead');
    await settleTurn();
    h.add('now-1', 'now');
    await h.finish('ahead-1');
    expect(h.started).toEqual(['ahead-1', 'now-1']);
    await h.finish('now-1');
    expect(h.started).toEqual(['ahead-1', 'now-1', 'ahead-2']);
    await h.finish('ahead-2');
  });

  it('a waiting look-ahead entry moved forward when its turn comes goes next; a running one is left alone', async () => {
    const h = harness(1);
    const first = h.add('ahead-1', 'ahead');
    h.add('ahead-2', 'ahead');
    const third = h.add('ahead-3', 'ahead');
    await settleTurn();
    first.promote(); // already running: nothing changes
    third.promote();
    await h.finish('ahead-1');
    expect(h.started).toEqual(['ahead-1', 'ahead-3']);
    await h.finish('ahead-3');
    await h.finish('ahead-2');
    expect(h.started).toEqual(['ahead-1', 'ahead-3', 'ahead-2']);
  });

  it('a failed upload frees its slot and reports its error', async () => {
    const run = uploadSlots(1);
    const failed = run(() => Promise.reject(new Error('boom')), 'now');
    const next = run(() => Promise.resolve('next'), 'now');
    await expect(failed.done).rejects.toThrow('boom');
    await expect(next.done).resolves.toBe('next');
  });

  it('refuses a slot count that is not a positive whole number', () => {
    expect(() => uploadSlots(0)).toThrow('并发上传数必须是正整数');
    expect(() => uploadSlots(1.5)).toThrow('并发上传数必须是正整数');
  });
});
