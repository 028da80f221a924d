/**
 * The device-level auth service: which inspector's partition is open, and how it opens.
 * - Sign-in: online (login, then the local wrap or the escrow), else offline (the wrap alone, behind
 *   the back-off and the offline credential's expiry); the two ways are in vault-sign-in.ts.
 * - Lock: the scope is closed (timers stopped, writes in flight committed, key zero-filled).
 * - Revocation (403 DEVICE_REVOKED on any request): the key copies on this laptop are destroyed and
 *   the vault locks; the partition stays sealed until an online sign-in recovers the key from escrow.
 */
import { CertNoSchema } from '../../../../shared/protocol/index.js';
import { deviceDbName, DeviceDb, vaultsRepo, type VaultRow } from '../../db/index.js';
import type { WrappedKeyBinding } from '../../platform/adapter.js';
import {
  idleLockDue,
  idleMinutesFrom,
  OFFLINE_CREDENTIAL_DAYS,
  VaultLockedError,
  type KdfParams,
} from '../../vault/index.js';
import type {
  AuthService,
  LockReason,
  Session,
  SignInResult,
  SignOutResult,
  UnsentResult,
  VaultState,
} from './auth.api.js';
import { openScope, storeName, type PartitionScope, type ScopeDeps } from './partition-scope.js';
import { openStationKey } from './station-key.js';
import { REVOKED_NOTICE, err, vaultSignIn } from './vault-sign-in.js';
import { localStorageLedger } from '../storage/storage.service.js';

export interface VaultDeps extends Omit<ScopeDeps, 'onRevoked'> {
  /** Electron: main's safeStorage copy of the wrapped key; null in the browser build. */
  readonly binding: WrappedKeyBinding | null;
  /** scrypt parameters for new wraps (tests pass small ones; default: the measured ones). */
  readonly kdfParams?: KdfParams;
}

export interface VaultService extends AuthService {
  /** The open scope (tests and the composition root); null while locked. */
  scope(): PartitionScope | null;
  /** Locks when the idle minutes have passed since the last activity (the timer's check; tests call it). */
  checkIdle(): Promise<boolean>;
  /** Resolves once a revocation's clean-up (key copies destroyed, lock) has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export function createVaultService(deps: VaultDeps): VaultService {
  const device = new DeviceDb(deviceDbName(deps.prefix));
  const vaults = vaultsRepo(device);
  const now = (): number => (deps.now ?? (() => new Date()))().getTime();
  const listeners = new Set<(s: VaultState) => void>();
  let state: VaultState = { phase: 'signed-out', notice: null };
  let scope: PartitionScope | null = null;
  let vault: VaultRow | null = null;
  let stationKey: { keyId: string; key: Uint8Array } | null = null;
  let pending: Promise<void> = Promise.resolve();
  let lastActivity = 0;
  let idleMinutes = idleMinutesFrom(undefined);
  let idleTimer: ReturnType<typeof setInterval> | null = null;

  async function checkIdle(): Promise<boolean> {
    if (!scope || !idleLockDue(lastActivity, now(), idleMinutes)) return false;
    await doLock('idle', null);
    return true;
  }

  const setState = (next: VaultState): void => {
    state = next;
    for (const l of listeners) l(next);
  };

  async function config(): Promise<{ url: string | null; days: number; idle: number }> {
    try {
      const c = await deps.adapter.config();
      return { url: c.platformUrl || null, days: c.offlineCredentialDays, idle: idleMinutesFrom(c.lockIdleMinutes) };
    } catch {
      return { url: null, days: OFFLINE_CREDENTIAL_DAYS, idle: idleMinutesFrom(undefined) };
    }
  }

  function newScope(partitionId: string): PartitionScope {
    return openScope({ ...deps, onRevoked: () => void revoked() }, partitionId);
  }

  const { onlineOpen, offlineOpen } = vaultSignIn({
    prefix: deps.prefix,
    binding: deps.binding,
    kdfParams: deps.kdfParams,
    vaults,
    now,
    config,
    newScope,
    enter,
    destroyCopies,
  });

  async function enter(
    s: PartitionScope,
    row: VaultRow,
    dataKey: Uint8Array,
    finish: () => Promise<Session | null>,
  ): Promise<SignInResult> {
    s.slot.unlock(dataKey);
    dataKey.fill(0);
    const meta = await s.field.meta.get('deviceId');
    if (meta?.value !== row.deviceId) await s.field.meta.put({ key: 'deviceId', value: row.deviceId });
    const session = await finish();
    if (!session) {
      await s.close();
      return err({ kind: 'offline-never-signed-in', message: '本机没有该账号的登录记录，请联网登录。' });
    }
    // The device key: made at this inspector's first sign-in here, else opened from the sealed
    // partition; either way it is held only as a non-extractable key until the lock.
    await s.services.internals.runtime.deviceKey.ensure();
    scope = s;
    vault = row;
    stationKey = openStationKey(row, s.slot);
    // The station's credit-file cache opens with the same unlock and closes with the lock.
    if (stationKey) deps.cache.setCacheKey({ keyId: stationKey.keyId, key: new Uint8Array(stationKey.key) });
    lastActivity = now();
    idleMinutes = (await config()).idle;
    // Checked often against the wall clock rather than one long timer: timers stop while the
    // machine sleeps, so the first check after resuming sees the whole gap and locks.
    if (deps.background) idleTimer ??= setInterval(() => void checkIdle(), 5000);
    setState({ phase: 'unlocked', session });
    return { ok: true, session };
  }

  async function destroyCopies(inspectorId: string): Promise<void> {
    await vaults.update(inspectorId, (r) => ({ ...r, wrapped: null, destroyed: true, stationKey: null }));
    await deps.binding?.forget(inspectorId).catch(() => undefined);
  }

  function revoked(): Promise<void> {
    const who = vault;
    if (!who || !scope) return pending;
    pending = pending.then(async () => {
      // Several requests in flight may all meet the 403: the first one's clean-up is the only one.
      if (!scope || vault?.inspectorId !== who.inspectorId) return;
      await destroyCopies(who.inspectorId);
      await doLock('revoked', REVOKED_NOTICE);
    });
    return pending;
  }

  async function doLock(reason: LockReason, notice: string | null): Promise<void> {
    const s = scope;
    if (!s) return;
    const cur = state;
    scope = null;
    if (idleTimer) clearInterval(idleTimer);
    idleTimer = null;
    stationKey?.key.fill(0);
    stationKey = null;
    deps.cache.setCacheKey(null);
    await s.close();
    if (cur.phase === 'unlocked')
      setState({
        phase: 'locked',
        certNo: cur.session.inspector.certNo,
        inspectorName: cur.session.inspector.name,
        reason,
        notice,
      });
  }

  async function signIn(certNoIn: string, password: string): Promise<SignInResult> {
    const cert = CertNoSchema.safeParse(certNoIn.trim());
    if (!cert.success)
      return err({ kind: 'invalid-input', message: cert.error.issues[0]?.message ?? '执法证号格式不正确' });
    if (password.length === 0) return err({ kind: 'invalid-input', message: '请输入密码' });
    if (scope) await doLock('manual', null);
    const { url } = await config();
    if (url) {
      const online = await onlineOpen(cert.data, password, url);
      if (online !== 'unreachable') return online;
    }
    return offlineOpen(cert.data, password, url ? '无法连接监管平台' : '未配置监管平台地址');
  }

  const service: VaultService = {
    scope: () => scope,
    settled: () => pending,
    async current() {
      return state.phase === 'unlocked' ? state.session : null;
    },
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    signIn,
    async unlock(password) {
      if (state.phase !== 'locked') return err({ kind: 'invalid-input', message: '当前没有已锁定的账号' });
      const locked = state;
      const r = await signIn(locked.certNo, password);
      if (!r.ok && service.state().phase !== 'unlocked') setState({ ...locked, notice: null });
      return r;
    },
    lock: (reason) => doLock(reason, null),
    activity() {
      lastActivity = now();
    },
    checkIdle,
    async switchInspector() {
      await doLock('manual', null);
      setState({ phase: 'signed-out', notice: null });
    },
    async unsent(): Promise<readonly UnsentResult[]> {
      const s = scope;
      if (!s) throw new VaultLockedError('unsent results');
      const entries = await s.services.outbox.list();
      return entries
        .filter((e) => e.state !== 'accepted' && e.state !== 'published')
        .map((e) => ({ resultId: e.resultId, enterpriseName: e.enterpriseName }));
    },
    async signOut(mode = 'keep'): Promise<SignOutResult> {
      const s = scope;
      const who = vault;
      if (!s || !who) {
        setState({ phase: 'signed-out', notice: null });
        return { ok: true };
      }
      if (mode === 'remove') {
        const unsent = await service.unsent();
        if (unsent.length > 0)
          return {
            ok: false,
            error: { kind: 'unsent', message: `还有 ${unsent.length} 条结果尚未上传，不能删除本机数据。`, unsent },
          };
      }
      const name = storeName(s.slot);
      // The session ends either way: the refresh token is forgotten (main's too, in Electron).
      await s.services.internals.runtime.tokens.clear();
      await doLock('manual', null);
      if (mode === 'remove') {
        await s.field.delete();
        await vaults.remove(who.inspectorId);
        await deps.binding?.forget(who.inspectorId).catch(() => undefined);
        localStorageLedger(name).set(null);
        if (typeof localStorage !== 'undefined') localStorage.removeItem(`smart-inspect.store-marker.${name}`);
      }
      vault = null;
      setState({ phase: 'signed-out', notice: null });
      return { ok: true };
    },
    async idleMinutes() {
      return (await config()).idle;
    },
    stationKey() {
      if (!stationKey) throw new VaultLockedError('station key');
      return stationKey.key;
    },
    async keyProtection() {
      if (!scope || !vault) return null;
      if (!deps.binding) return 'browser';
      // With an OS-bound copy in main the device database keeps no wrap of its own.
      const row = await vaults.get(vault.inspectorId);
      return row && row.wrapped === null ? 'os-account' : 'password-only';
    },
    async close() {
      await doLock('manual', null);
      device.close();
    },
  };
  return service;
}
