/**
 * Signing in, locking and signing out. Each inspector's data lives in their own partition, sealed
 * under their data key; the key rests wrapped under their password (scrypt) and escrowed at the
 * platform. An online sign-in opens (or creates) the partition; offline, the password unwraps the
 * local copy. Nothing is open at launch.
 */
import type { Inspector } from '../../../../shared/protocol/index.js';
import type { Unsubscribe } from '../runtime.js';

export interface Session {
  readonly inspector: Inspector;
  readonly deviceId: string;
  readonly platformUrl: string;
  /** True when the vault was opened offline with the password (no fresh tokens yet). */
  readonly offlineUnlocked: boolean;
}

export type SignInError =
  | { readonly kind: 'bad-credentials'; readonly message: string }
  | { readonly kind: 'offline-never-signed-in'; readonly message: string }
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'invalid-input'; readonly message: string }
  /** Too many failures: wait until `retryAt` (ms since the epoch). */
  | { readonly kind: 'wait'; readonly message: string; readonly retryAt: number }
  /** Ten failed offline unlocks, an expired offline credential, or destroyed key copies. */
  | { readonly kind: 'online-required'; readonly message: string }
  | { readonly kind: 'device-revoked'; readonly message: string };

export type SignInResult = { ok: true; session: Session } | { ok: false; error: SignInError };

export type LockReason = 'manual' | 'idle' | 'os' | 'revoked';

export type VaultState =
  | { readonly phase: 'signed-out'; readonly notice: string | null }
  /** The 执法证号 is kept in memory only, to show on the lock screen. */
  | {
      readonly phase: 'locked';
      readonly certNo: string;
      readonly inspectorName: string;
      readonly reason: LockReason;
      readonly notice: string | null;
    }
  | { readonly phase: 'unlocked'; readonly session: Session };

export interface UnsentResult {
  readonly resultId: string;
  readonly enterpriseName: string;
}

export type SignOutMode = 'keep' | 'remove';

/**
 * What protects the signed-in inspector's key on this laptop: their password and the OS account
 * (Electron with a real keyring), the password alone (Electron without one), or the password alone
 * in the browser build.
 */
export type KeyProtection = 'os-account' | 'password-only' | 'browser';
export type SignOutResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly error: { readonly kind: 'unsent'; readonly message: string; readonly unsent: readonly UnsentResult[] };
    };

export interface AuthService {
  /** The unlocked session, or null while locked or signed out. */
  current(): Promise<Session | null>;
  state(): VaultState;
  subscribe(listener: (state: VaultState) => void): Unsubscribe;
  /** Online sign-in (falls back to the offline unlock when the platform cannot be reached). */
  signIn(certNo: string, password: string): Promise<SignInResult>;
  /** The lock screen: the password of the inspector who was locked out. */
  unlock(password: string): Promise<SignInResult>;
  /** Locks now; waits for writes in flight before the key is dropped. */
  lock(reason: LockReason): Promise<void>;
  /** Forgets who was locked (the 切换检查员 button): back to the sign-in screen. */
  switchInspector(): Promise<void>;
  /** Results of the signed-in inspector without a platform receipt. */
  unsent(): Promise<readonly UnsentResult[]>;
  /** `remove` deletes the partition and the key copies; refused while any result lacks a receipt. */
  signOut(mode?: SignOutMode): Promise<SignOutResult>;
  /** The idle-lock minutes of the deployment (default 10). */
  idleMinutes(): Promise<number>;
  /** The inspector did something: the idle lock counts from now. */
  activity(): void;
  /** The station's credit-file cache key, while unlocked; throws VaultLockedError otherwise. */
  stationKey(): Uint8Array;
  /** How the unlocked inspector's key is protected at rest; null while locked. */
  keyProtection(): Promise<KeyProtection | null>;
}
