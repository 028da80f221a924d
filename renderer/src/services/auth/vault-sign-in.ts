/**
 * How a sign-in opens an inspector's partition, the two ways:
 * - online: password login at the platform, then the data key from the local wrap (the password
 *   unwraps it) or from the escrow (first sign-in on this laptop, or a changed/forgotten password),
 *   re-wrapped under the typed password; resets the back-off and the offline clock.
 * - offline: the wrap alone, behind the back-off, the online-required limit and the offline
 *   credential's expiry; a failure is counted on disk before it is answered.
 * Entering the opened partition (unlock, session, timers) is the vault service's: `enter`.
 */
import type { Inspector } from '../../../../shared/protocol/index.js';
import { adoptLegacyField, type VaultRow, type VaultsRepo } from '../../db/index.js';
import type { WrappedKeyBinding } from '../../platform/adapter.js';
import {
  MAX_OFFLINE_FAILURES,
  backoffGate,
  unwrapDataKey,
  wrapDataKey,
  type KdfParams,
  type WrappedKey,
} from '../../vault/index.js';
import type { Session, SignInError, SignInResult } from './auth.api.js';
import { signInErrorOf } from './auth.service.js';
import { escrowedOrNewKey, fetchEscrowedKey, fetchStationKey } from './escrow.client.js';
import type { PartitionScope } from './partition-scope.js';
import { sealStationKey } from './station-key.js';
import { offlineRefusal, storedWrap, storeWrap } from './vault-rules.js';

export const REVOKED_NOTICE = '设备已被停用：本机的密钥副本已销毁，数据仍加密保存。请联系管理员恢复本设备后联网登录。';
export const err = (e: SignInError): SignInResult => ({ ok: false, error: e });

/** What opening needs from the vault service: its device records, clock and configuration, and its steps. */
export interface SignInContext {
  readonly prefix: string;
  readonly binding: WrappedKeyBinding | null;
  readonly kdfParams?: KdfParams | undefined;
  readonly vaults: VaultsRepo;
  readonly now: () => number;
  config(): Promise<{ url: string | null; days: number; idle: number }>;
  newScope(partitionId: string): PartitionScope;
  /** Unlocks the scope with the data key (then zero-filled) and makes it the open one. */
  enter(
    s: PartitionScope,
    row: VaultRow,
    dataKey: Uint8Array,
    finish: () => Promise<Session | null>,
  ): Promise<SignInResult>;
  /** Destroys this laptop's key copies (a revoked device). */
  destroyCopies(inspectorId: string): Promise<void>;
}

export interface VaultSignIn {
  onlineOpen(certNo: string, password: string, url: string): Promise<SignInResult | 'unreachable'>;
  offlineOpen(certNo: string, password: string, why: string): Promise<SignInResult>;
}

export function vaultSignIn(ctx: SignInContext): VaultSignIn {
  const { vaults, now } = ctx;

  /**
   * Counts a wrong password, durably before the answer (a restart between attempts must not reset
   * the back-off), and says at once when the next attempt must wait (the button waits with it).
   */
  async function failedAttempt(inspectorId: string, t: number, message: string): Promise<SignInResult> {
    const failed = await vaults.update(inspectorId, (r) => ({
      ...r,
      failedAttempts: r.failedAttempts + 1,
      lastFailureAt: t,
      needsOnline: r.failedAttempts + 1 >= MAX_OFFLINE_FAILURES,
    }));
    const next = failed ? backoffGate(failed, t) : ({ ok: true } as const);
    if (!next.ok && next.reason === 'wait')
      return err({ kind: 'wait', message: `密码不正确。${next.message}`, retryAt: next.retryAt });
    if (failed?.needsOnline)
      return err({
        kind: 'online-required',
        message: `密码连续输错 ${failed.failedAttempts} 次，请联网登录后再使用。`,
      });
    return err({ kind: 'bad-credentials', message });
  }

  async function offlineOpen(certNo: string, password: string, why: string): Promise<SignInResult> {
    const row = await vaults.byCertNo(certNo);
    if (!row)
      return err({
        kind: 'offline-never-signed-in',
        message: `${why}。本机尚未用该执法证号联网登录过，首次登录需要联网。`,
      });
    const { days } = await ctx.config();
    const t = now();
    const refused = offlineRefusal(row, t, days, REVOKED_NOTICE);
    if (refused) return err(refused);
    const opened = await unwrapDataKey(await storedWrap(ctx.binding, row), password, row.inspectorId);
    if (!opened.ok)
      return failedAttempt(
        row.inspectorId,
        t,
        opened.error.kind === 'wrong-password' ? '密码不正确（离线验证）。' : opened.error.message,
      );
    const reset =
      (await vaults.update(row.inspectorId, (r) => ({ ...r, failedAttempts: 0, lastFailureAt: null }))) ?? row;
    const s = ctx.newScope(row.partitionId);
    return ctx.enter(s, reset, opened.dataKey, () => s.services.auth.completeOffline(certNo, null));
  }

  async function onlineOpen(certNo: string, password: string, url: string): Promise<SignInResult | 'unreachable'> {
    const known = await vaults.byCertNo(certNo);
    const partitionId = known?.partitionId ?? crypto.randomUUID();
    const deviceId = known?.deviceId ?? crypto.randomUUID();
    const t = now();
    if (known) {
      const wait = backoffGate(known, t);
      if (!wait.ok && wait.reason === 'wait')
        return err({ kind: 'wait', message: wait.message, retryAt: wait.retryAt });
    }
    const s = ctx.newScope(partitionId);
    const login = await s.services.auth.login(url, certNo, password, deviceId);
    if (!login.ok) {
      await s.close();
      const e = signInErrorOf(login);
      if (e.kind === 'network') return 'unreachable';
      if (e.kind === 'device-revoked' && known) await ctx.destroyCopies(known.inspectorId);
      if (e.kind === 'bad-credentials' && known) return failedAttempt(known.inspectorId, t, e.message);
      return err(e);
    }
    const inspector: Inspector = login.inspector;
    const row = known ?? (await vaults.get(inspector.id));
    let dataKey: Uint8Array | null = null;
    let keyId = row?.keyId ?? '';
    let wrapped: WrappedKey | null = null;
    if (row && !row.destroyed) {
      const local = await unwrapDataKey(await storedWrap(ctx.binding, row), password, inspector.id);
      if (local.ok) {
        dataKey = local.dataKey;
        wrapped = local.wrapped;
      }
    }
    if (!dataKey) {
      // A changed or forgotten password, revoked copies, or a first sign-in here: the escrow.
      const got = row
        ? await fetchEscrowedKey(s.services.internals.runtime.http)
        : await escrowedOrNewKey(s.services.internals.runtime.http);
      if (!got.ok) {
        await s.close();
        return err({ kind: 'network', message: got.error.message });
      }
      const key = 'key' in got ? got.key : got;
      if (!key || (row && key.keyId !== row.keyId)) {
        await s.close();
        return err({
          kind: 'invalid-input',
          message: '监管平台托管的数据密钥与本机数据不一致，无法打开本机数据。请联系管理员。',
        });
      }
      dataKey = key.dataKey;
      keyId = key.keyId;
      wrapped = await wrapDataKey(dataKey, password, {
        inspectorId: inspector.id,
        keyId,
        ...(ctx.kdfParams ? { params: ctx.kdfParams } : {}),
      });
    }
    const station = await fetchStationKey(s.services.internals.runtime.http);
    const next: VaultRow = {
      inspectorId: inspector.id,
      certNoHash: await vaults.certNoHash(certNo),
      partitionId: row?.partitionId ?? partitionId,
      deviceId: row?.deviceId ?? deviceId,
      wrapped: wrapped ? await storeWrap(ctx.binding, inspector.id, wrapped) : null,
      keyId,
      lastOnlineAt: now(),
      failedAttempts: 0,
      lastFailureAt: null,
      needsOnline: false,
      destroyed: false,
      stationKey: station.ok ? sealStationKey(dataKey, inspector.id, station) : (row?.stationKey ?? null),
    };
    if (row && row.partitionId !== partitionId) {
      // The 执法证号 changed since: the inspector's partition is the one their id names.
      dataKey.fill(0);
      await s.close();
      await vaults.put(next);
      return onlineOpen(certNo, password, url);
    }
    await vaults.put(next);
    const entered = await ctx.enter(s, next, dataKey, async () => {
      if (!row) await adoptLegacyField(ctx.prefix, inspector.id, s.field);
      return s.services.auth.completeOnline(certNo, inspector, url);
    });
    // Registered while online, without holding the sign-in on it (a slow platform would keep the
    // inspector at the login form); when this fails (the network went away) the uploader registers
    // the key before the first upload.
    if (entered.ok) void s.services.internals.runtime.deviceKey.registered(false).catch(() => undefined);
    return entered;
  }

  return { onlineOpen, offlineOpen };
}
