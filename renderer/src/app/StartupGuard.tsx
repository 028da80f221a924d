/**
 * The start-up guard. Before the app renders, it checks the local
 * store (the marker) and the audit hash chain. A lost or replaced store shows the recovery screen
 * until the inspector confirms; a broken audit chain raises an alert that stays above every screen
 * (the uploader pauses the affected results itself). Once running, it mirrors the outbox into the
 * receipt ledger kept outside the database, so a later loss can be accounted for.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { services } from '../services/index.js';
import type { LedgerEntry, StorageHealth } from '../services/index.js';
import { navigate, useUi } from '../state/ui.js';
import { RecoveryScreen } from './StartupGuard.recovery.js';

type Check =
  | { readonly phase: 'checking' }
  | { readonly phase: 'recovery'; readonly health: StorageHealth; readonly ledger: readonly LedgerEntry[] }
  | { readonly phase: 'ready'; readonly auditAlert: string | null };

async function runChecks(): Promise<Check> {
  const health = await services.storage.health();
  if (health.state === 'wiped' || health.state === 'mismatch')
    return { phase: 'recovery', health, ledger: services.storage.ledger() };
  const integrity = await services.integrity.check();
  return { phase: 'ready', auditAlert: integrity.ok ? null : integrity.message };
}

export function StartupGuard({ children }: { children: ReactNode }) {
  const [check, setCheck] = useState<Check>({ phase: 'checking' });

  useEffect(() => {
    let alive = true;
    runChecks().then(
      (c) => alive && setCheck(c),
      (e: unknown) =>
        alive &&
        setCheck({
          phase: 'ready',
          auditAlert: `启动检查失败：${e instanceof Error ? e.message : String(e)}。请联系管理员。`,
        }),
    );
    return () => {
      alive = false;
    };
  }, []);

  const ready = check.phase === 'ready';
  // Subscribed, not read once: the sign-in may ask for the sync before or after these checks finish.
  const syncWhenReady = useUi((s) => s.syncWhenReady);
  useEffect(() => {
    if (!ready || !syncWhenReady) return;
    useUi.getState().setSyncWhenReady(false);
    services.sync.start().catch((err: unknown) => console.warn('sync after sign-in failed', err));
  }, [ready, syncWhenReady]);
  useEffect(() => {
    if (!ready) return;
    const mirror = (): void => {
      services.outbox.list().then(
        (entries) => services.storage.remember(entries),
        (e: unknown) => console.warn('ledger mirror failed', e),
      );
    };
    mirror();
    return services.outbox.subscribe(mirror);
  }, [ready]);

  if (check.phase === 'checking') {
    return (
      <main className="splash" aria-busy="true">
        <p role="status">正在检查本机数据…</p>
      </main>
    );
  }
  if (check.phase === 'recovery') {
    const onContinue = async (): Promise<void> => {
      await services.storage.acceptFresh();
      // The fresh store starts like a first sign-in on this laptop: sign in, and the sync follows.
      navigate({ name: 'login' }, { replace: true });
      await services.auth.signOut('keep');
    };
    return <RecoveryScreen health={check.health} ledger={check.ledger} onContinue={onContinue} />;
  }
  return (
    <>
      {check.auditAlert && (
        <div className="alert alert-danger audit-alert" role="alert">
          <strong>审计日志异常：</strong>
          {check.auditAlert}
        </div>
      )}
      {children}
    </>
  );
}
