/**
 * When the vault may be unlocked offline and when it locks itself. Pure: the time is always
 * passed in (ms since the epoch), so the rules are tested without clocks and the caller decides
 * where "now" comes from.
 */

/** Failed offline unlocks allowed before only an online sign-in (escrow) may open the vault. */
export const MAX_OFFLINE_FAILURES = 10;
/** Failures that cost nothing: typos happen. */
export const FREE_FAILURES = 3;
/** The longest wait between two attempts. */
export const MAX_UNLOCK_DELAY_MS = 5 * 60_000;
export const OFFLINE_CREDENTIAL_DAYS = 30;
export const DEFAULT_IDLE_MINUTES = 10;
/**
 * How far the clock may appear to run backwards before the offline credential is treated as
 * expired; matches the client clock skew the app tolerates elsewhere (±2 days).
 */
export const CLOCK_ROLLBACK_TOLERANCE_MS = 2 * 86_400_000;

/** Wait before the next attempt after `failedAttempts` consecutive failures: none for the first
 * three, then 2 s, 4 s, 8 s... capped at five minutes. */
export function unlockDelay(failedAttempts: number): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 0)
    throw new RangeError('failedAttempts must be a non-negative integer');
  if (failedAttempts <= FREE_FAILURES) return 0;
  return Math.min(2 ** (failedAttempts - FREE_FAILURES) * 1000, MAX_UNLOCK_DELAY_MS);
}

export function needsOnlineSignIn(failedAttempts: number): boolean {
  return failedAttempts >= MAX_OFFLINE_FAILURES;
}

export interface UnlockAttempts {
  readonly failedAttempts: number;
  /** When the last failure happened (ms); null when there was none. */
  readonly lastFailureAt: number | null;
}

export type UnlockGate =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'wait'; readonly retryAt: number; readonly message: string }
  | { readonly ok: false; readonly reason: 'online-required'; readonly message: string };

/** May the inspector try a password now? */
export function unlockGate(attempts: UnlockAttempts, now: number): UnlockGate {
  if (needsOnlineSignIn(attempts.failedAttempts)) {
    return {
      ok: false,
      reason: 'online-required',
      message: `密码连续输错 ${attempts.failedAttempts} 次，请联网登录后再使用。`,
    };
  }
  return backoffGate(attempts, now);
}

/**
 * The back-off alone, for any password attempt including an online sign-in: a wrong password
 * typed while online is still a guess, so it waits like an offline one (the platform's own rate
 * limit comes on top); only the "online sign-in required" rule is for offline unlocks.
 */
export function backoffGate(attempts: UnlockAttempts, now: number): UnlockGate {
  const delay = unlockDelay(attempts.failedAttempts);
  if (delay === 0 || attempts.lastFailureAt === null) return { ok: true };
  const retryAt = attempts.lastFailureAt + delay;
  // A clock set back would otherwise make the wait endless: never wait longer than the delay itself.
  if (now >= retryAt || now < attempts.lastFailureAt) return { ok: true };
  return {
    ok: false,
    reason: 'wait',
    retryAt,
    message: `密码错误次数过多，请 ${Math.ceil((retryAt - now) / 1000)} 秒后再试。`,
  };
}

export function recordFailure(attempts: UnlockAttempts, now: number): UnlockAttempts {
  return { failedAttempts: attempts.failedAttempts + 1, lastFailureAt: now };
}

export const NO_FAILURES: UnlockAttempts = Object.freeze({ failedAttempts: 0, lastFailureAt: null });

/**
 * Offline unlocking is allowed for `days` after the last online sign-in. A clock that reads more
 * than the tolerance before that sign-in counts as expired: winding the clock back must not extend
 * the offline window. An online sign-in resets it either way.
 */
export function offlineCredentialExpired(
  lastOnlineSignInAt: number,
  now: number,
  days = OFFLINE_CREDENTIAL_DAYS,
): boolean {
  if (now < lastOnlineSignInAt - CLOCK_ROLLBACK_TOLERANCE_MS) return true;
  return now - lastOnlineSignInAt > days * 86_400_000;
}

/** The idle-lock minutes from the deployment config: a whole number 1..240, else the default. */
export function idleMinutesFrom(configured: unknown): number {
  return typeof configured === 'number' && Number.isInteger(configured) && configured >= 1 && configured <= 240
    ? configured
    : DEFAULT_IDLE_MINUTES;
}

/** When the vault locks if nothing happens after `lastActivityAt`. */
export function idleLockAt(lastActivityAt: number, idleMinutes = DEFAULT_IDLE_MINUTES): number {
  return lastActivityAt + idleMinutes * 60_000;
}

/**
 * Whether the vault must lock now. Also true after a suspend: timers do not run while the machine
 * sleeps, so the first check after resuming sees the whole gap. A clock that went backwards is no
 * reason to stay unlocked for longer, so it locks too.
 */
export function idleLockDue(lastActivityAt: number, now: number, idleMinutes = DEFAULT_IDLE_MINUTES): boolean {
  return now >= idleLockAt(lastActivityAt, idleMinutes) || now < lastActivityAt;
}
