/**
 * 登录: 执法证号 + 密码 (react-hook-form + zod, the shared CertNoSchema). Online it signs in at the
 * platform; offline it opens the inspector's sealed data on this device with the password.
 * After sign-in → 同步 (auto-start).
 */
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { CertNoSchema } from '../../../../shared/protocol/auth.js';
import { services } from '../../services/index.js';
import type { SignInError } from '../../services/index.js';
import { navigate, useUi } from '../../state/ui.js';
import { DemoBadge } from '../settings/DemoBadge.js';
import { AuthAlert } from './AuthAlert.js';
import { useRetryWait } from './useRetryWait.js';

const LoginFormSchema = z.object({
  certNo: z.string().trim().min(1, '请输入执法证号').pipe(CertNoSchema),
  password: z.string().min(1, '请输入密码').max(200, '密码过长'),
});
type LoginForm = z.infer<typeof LoginFormSchema>;

/** What to do next, per error; network and input errors show the service's own detail instead. */
const ERROR_HINTS: Readonly<Record<SignInError['kind'], string | null>> = {
  'bad-credentials': '请核对执法证号和密码后重试。',
  'offline-never-signed-in': '请先在有网络时登录一次，之后在本设备上可离线登录。',
  network: null,
  'invalid-input': null,
  wait: null,
  'online-required': null,
  'device-revoked': null,
};

const ERROR_TITLES: Readonly<Record<SignInError['kind'], string>> = {
  'bad-credentials': '执法证号或密码不正确',
  'offline-never-signed-in': '当前离线，且本设备从未登录过该账号',
  network: '无法连接监管平台',
  'invalid-input': '输入有误',
  wait: '请稍后再试',
  'online-required': '需要联网登录',
  'device-revoked': '设备已被停用',
};

export function LoginScreen({ notice = null }: { notice?: string | null }) {
  const online = useUi((s) => s.online);
  const [error, setError] = useState<SignInError | null>(null);
  const wait = useRetryWait(error?.kind === 'wait' ? error.retryAt : null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<LoginForm>({ resolver: zodResolver(LoginFormSchema), defaultValues: { certNo: '', password: '' } });

  const onSubmit = handleSubmit(async (values) => {
    setError(null);
    try {
      const outcome = await services.auth.signIn(values.certNo, values.password);
      if (!outcome.ok) {
        setError(outcome.error);
        return;
      }
      // A relaunch on a screen's address (e.g. an open inspection) comes back to that screen.
      if (useUi.getState().route.name === 'login') navigate({ name: 'sync' }, { replace: true });
      // The sync starts once the start-up checks passed (never over a lost store before it is confirmed).
      useUi.getState().setSyncWhenReady(!outcome.session.offlineUnlocked && services.network.online());
    } catch (err) {
      setError({ kind: 'network', message: err instanceof Error ? err.message : String(err) });
    }
  });

  return (
    <main className="login-page">
      <form
        className="login-card"
        autoComplete="off"
        onSubmit={(e) => void onSubmit(e)}
        noValidate
        aria-labelledby="login-title"
      >
        <h1 id="login-title">登录</h1>
        <p className="login-sub">
          智慧监管现场检查 · 请使用执法证号登录
          <DemoBadge />
        </p>
        <div className={`login-net ${online ? 'net-online' : 'net-offline'}`} role="status">
          {online ? '在线' : '离线'}
          <span className="login-net-hint">{online ? '' : '：仅可使用曾在本设备登录过的账号'}</span>
        </div>

        <div className="field">
          <label htmlFor="login-cert">执法证号</label>
          <input
            id="login-cert"
            inputMode="numeric"
            autoComplete="off"
            autoFocus
            aria-invalid={errors.certNo ? true : undefined}
            aria-describedby={errors.certNo ? 'login-cert-error' : undefined}
            {...register('certNo')}
          />
          {errors.certNo ? (
            <p className="field-error" id="login-cert-error">
              {errors.certNo.message}
            </p>
          ) : null}
        </div>

        <div className="field">
          <label htmlFor="login-password">密码</label>
          <input
            id="login-password"
            type="password"
            autoComplete="off"
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? 'login-password-error' : undefined}
            {...register('password')}
          />
          {errors.password ? (
            <p className="field-error" id="login-password-error">
              {errors.password.message}
            </p>
          ) : null}
        </div>

        {notice && !error ? (
          <div className="alert alert-danger" role="alert">
            {notice}
          </div>
        ) : null}
        {error ? (
          <AuthAlert
            error={ERROR_HINTS[error.kind] ? { ...error, message: ERROR_HINTS[error.kind] ?? error.message } : error}
            waitSeconds={wait}
            title={ERROR_TITLES[error.kind]}
          />
        ) : null}

        <button type="submit" className="btn btn-primary btn-block" disabled={isSubmitting || wait > 0}>
          {isSubmitting ? '正在登录…' : '登录'}
        </button>
      </form>
    </main>
  );
}
