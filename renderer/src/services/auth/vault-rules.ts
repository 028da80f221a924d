/**
 * The vault service's rules that need no state of their own: when an offline unlock is refused
 * before the password is even tried, and where the wrapped key is read from and stored to.
 */
import type { VaultRow } from '../../db/index.js';
import type { WrappedKeyBinding } from '../../platform/adapter.js';
import { MAX_OFFLINE_FAILURES, offlineCredentialExpired, unlockGate, type WrappedKey } from '../../vault/index.js';
import type { SignInError } from './auth.api.js';

/** Why an offline unlock may not try a password now (null: it may). */
export function offlineRefusal(row: VaultRow, now: number, days: number, revokedNotice: string): SignInError | null {
  if (row.destroyed) return { kind: 'online-required', message: revokedNotice };
  if (row.needsOnline || row.failedAttempts >= MAX_OFFLINE_FAILURES)
    return { kind: 'online-required', message: `密码连续输错 ${row.failedAttempts} 次，请联网登录后再使用。` };
  if (offlineCredentialExpired(row.lastOnlineAt, now, days))
    return { kind: 'online-required', message: `已超过 ${days} 天未联网登录，离线登录已失效，请联网登录。` };
  const gate = unlockGate(row, now);
  if (gate.ok) return null;
  return gate.reason === 'wait'
    ? { kind: 'wait', message: gate.message, retryAt: gate.retryAt }
    : { kind: 'online-required', message: gate.message };
}

/** The wrap to try: main's OS-bound copy in Electron when there is one, else the device database's. */
export async function storedWrap(binding: WrappedKeyBinding | null, row: VaultRow): Promise<unknown> {
  if (binding) {
    const r = await binding.read(row.inspectorId).catch(() => null);
    if (r?.wrappedKey) {
      try {
        return JSON.parse(r.wrappedKey) as unknown;
      } catch {
        return null;
      }
    }
  }
  return row.wrapped;
}

/**
 * Stores a new wrap; returns what the device database keeps. With an OS-bound copy in main it keeps
 * none (the wrap can then only be read in this OS account). Without a real keyring (bound:false)
 * main's copy is only obfuscated, so the device database keeps the wrap too and scrypt alone
 * protects it.
 */
export async function storeWrap(
  binding: WrappedKeyBinding | null,
  inspectorId: string,
  wrapped: WrappedKey,
): Promise<WrappedKey | null> {
  if (!binding) return wrapped;
  const r = await binding.store(inspectorId, JSON.stringify(wrapped)).catch(() => ({ bound: false }));
  return r.bound ? null : wrapped;
}
