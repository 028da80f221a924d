/** Signing in: online once, offline afterwards against a stored verifier; the session survives restarts. */
import type { Inspector } from '../../../../shared/protocol/index.js';

export interface Session {
  readonly inspector: Inspector;
  readonly deviceId: string;
  readonly platformUrl: string;
  /** True when the session was unlocked offline from the stored verifier (no fresh tokens yet). */
  readonly offlineUnlocked: boolean;
}

export type SignInError =
  | { readonly kind: 'bad-credentials'; readonly message: string }
  | { readonly kind: 'offline-never-signed-in'; readonly message: string }
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'invalid-input'; readonly message: string };

export interface AuthService {
  /** The stored session, if the inspector signed in on this device before (works offline). */
  current(): Promise<Session | null>;
  /**
   * Online: POST /v1/auth/login, store tokens and a salted verifier (never the password).
   * Offline: check the password against the stored verifier of the same 执法证号.
   */
  signIn(certNo: string, password: string): Promise<{ ok: true; session: Session } | { ok: false; error: SignInError }>;
  signOut(): Promise<void>;
}
