import { describe, expect, it } from 'vitest';
import {
  idleLockDue,
  idleMinutesFrom,
  needsOnlineSignIn,
  NO_FAILURES,
  offlineCredentialExpired,
  recordFailure,
  unlockDelay,
  unlockGate,
} from './lock.policy.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);

describe('unlock back-off', () => {
  it('free for three failures, then doubling from 2 s, capped at 5 min', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10, 30].map(unlockDelay)).toEqual([0, 0, 0, 0, 2000, 4000, 8000, 128_000, 300_000]);
    expect(() => unlockDelay(-1)).toThrow(RangeError);
  });

  it('the gate makes the inspector wait, then lets them try', () => {
    let a = NO_FAILURES;
    for (let i = 0; i < 4; i += 1) a = recordFailure(a, T0);
    const gate = unlockGate(a, T0 + 500);
    expect(gate).toMatchObject({ ok: false, reason: 'wait', retryAt: T0 + 2000 });
    expect(!gate.ok && gate.message).toContain('2 秒后');
    expect(unlockGate(a, T0 + 2000).ok).toBe(true);
    // A clock set back before the failure does not trap the inspector.
    expect(unlockGate(a, T0 - 60_000).ok).toBe(true);
  });

  it('after ten failures only an online sign-in helps', () => {
    expect(needsOnlineSignIn(9)).toBe(false);
    expect(needsOnlineSignIn(10)).toBe(true);
    expect(unlockGate({ failedAttempts: 10, lastFailureAt: T0 }, T0 + DAY)).toMatchObject({
      ok: false,
      reason: 'online-required',
    });
  });
});

describe('offline credential', () => {
  it('lasts 30 days from the last online sign-in', () => {
    expect(offlineCredentialExpired(T0, T0 + 30 * DAY)).toBe(false);
    expect(offlineCredentialExpired(T0, T0 + 30 * DAY + 1)).toBe(true);
    expect(offlineCredentialExpired(T0, T0 + 8 * DAY, 7)).toBe(true);
  });

  it('a clock wound back beyond the skew tolerance does not extend it', () => {
    expect(offlineCredentialExpired(T0, T0 - DAY)).toBe(false);
    expect(offlineCredentialExpired(T0, T0 - 3 * DAY)).toBe(true);
  });
});

describe('idle lock', () => {
  it('locks after the configured minutes, after a suspend, and when the clock goes back', () => {
    expect(idleLockDue(T0, T0 + 10 * 60_000 - 1)).toBe(false);
    expect(idleLockDue(T0, T0 + 10 * 60_000)).toBe(true);
    expect(idleLockDue(T0, T0 + 5 * 60_000, 3)).toBe(true);
    expect(idleLockDue(T0, T0 + 8 * 3_600_000)).toBe(true);
    expect(idleLockDue(T0, T0 - 1000)).toBe(true);
  });

  it('reads the minutes from config, falling back to 10 for anything unusable', () => {
    expect(idleMinutesFrom(5)).toBe(5);
    expect([undefined, '5', 0, 2.5, 1000, NaN].map(idleMinutesFrom)).toEqual([10, 10, 10, 10, 10, 10]);
  });
});
