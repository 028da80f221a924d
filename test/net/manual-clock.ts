/** A virtual clock for the link's shaping tests: time moves only when the test says so. */
import type { LaneClock } from './link-lane.js';

export interface ManualClock extends LaneClock {
  /** Runs every timer due up to `t` (in order, each at its own time) and leaves the clock at `t`. */
  advanceTo(t: number): void;
  /** Timers not yet fired. */
  readonly timers: number;
}

export function manualClock(): ManualClock {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimer(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return () => timers.delete(id);
    },
    advanceTo(t) {
      if (t < now) throw new RangeError(`the clock does not go back (${now} → ${t})`);
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | null = null;
        for (const e of timers) if (e[1].at <= t && (!due || e[1].at < due[1].at)) due = e;
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = t;
    },
    get timers() {
      return timers.size;
    },
  };
}
