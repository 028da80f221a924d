/** The lane's shaping on a virtual clock: which bytes have arrived at which instant. */
import { describe, expect, it } from 'vitest';
import { Lane } from './link-lane.js';
import { manualClock } from './manual-clock.js';

function recorder() {
  const got: string[] = [];
  return { got, mark: (name: string) => () => got.push(name) };
}

describe('Lane', () => {
  it('sends at the rate: 1,000 B/s delivers 500 bytes at 500 ms and not a moment before', () => {
    const clock = manualClock();
    const lane = new Lane({ bitsPerSecond: 8000, delayMs: 0, clock });
    const r = recorder();
    lane.push(500, r.mark('a'));
    lane.push(500, r.mark('b'));
    clock.advanceTo(499);
    expect(r.got).toEqual([]);
    clock.advanceTo(500);
    expect(r.got).toEqual(['a']);
    clock.advanceTo(999);
    expect(r.got).toEqual(['a']);
    clock.advanceTo(1000);
    expect(r.got).toEqual(['a', 'b']);
    expect(lane.pending).toBe(0);
  });

  it('adds the one-way delay after sending, and pieces keep their order across connections', () => {
    const clock = manualClock();
    const lane = new Lane({ bitsPerSecond: 8000, delayMs: 40, clock });
    const r = recorder();
    lane.push(100, r.mark('conn1'));
    lane.push(0, r.mark('conn2-fin'));
    lane.push(100, r.mark('conn3'));
    expect(lane.pending).toBe(200);
    clock.advanceTo(139);
    expect(r.got).toEqual([]);
    clock.advanceTo(140);
    expect(r.got).toEqual(['conn1', 'conn2-fin']);
    clock.advanceTo(239);
    expect(r.got).toEqual(['conn1', 'conn2-fin']);
    clock.advanceTo(240);
    expect(r.got).toEqual(['conn1', 'conn2-fin', 'conn3']);
  });

  it('an idle link does not bank time: a piece after a pause waits only for itself', () => {
    const clock = manualClock();
    const lane = new Lane({ bitsPerSecond: 8000, delayMs: 10, clock });
    const r = recorder();
    lane.push(100, r.mark('first'));
    clock.advanceTo(1000);
    expect(r.got).toEqual(['first']);
    lane.push(100, r.mark('second'));
    expect(lane.arrivalFor(0)).toBe(1110);
    clock.advanceTo(1109);
    expect(r.got).toEqual(['first']);
    clock.advanceTo(1110);
    expect(r.got).toEqual(['first', 'second']);
  });

  it('without a rate only the delay applies; after close nothing is delivered', () => {
    const clock = manualClock();
    const lane = new Lane({ bitsPerSecond: null, delayMs: 25, clock });
    const r = recorder();
    lane.push(1 << 20, r.mark('big'));
    clock.advanceTo(24);
    expect(r.got).toEqual([]);
    clock.advanceTo(25);
    expect(r.got).toEqual(['big']);
    lane.push(10, r.mark('late'));
    lane.close();
    clock.advanceTo(1000);
    expect(r.got).toEqual(['big']);
    expect(clock.timers).toBe(0);
  });

  it('refuses a rate or delay that cannot be a link', () => {
    expect(() => new Lane({ bitsPerSecond: 0, delayMs: 0 })).toThrow(/bitsPerSecond must be positive/);
    expect(() => new Lane({ bitsPerSecond: 1000, delayMs: -1 })).toThrow(/delayMs must be ≥ 0/);
  });
});
