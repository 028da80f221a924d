/** The answer to a failed sign-in or unlock: a back-off countdown, the online-required notice, or the error. */
import type { SignInError } from '../../services/index.js';

export function AuthAlert({ error, waitSeconds, title }: { error: SignInError; waitSeconds: number; title: string }) {
  if (error.kind === 'wait') {
    return (
      <div className="alert alert-danger" role="alert">
        <strong>密码错误次数过多</strong>
        <p>{waitSeconds > 0 ? `请 ${waitSeconds} 秒后重试。` : '现在可以重试。'}</p>
      </div>
    );
  }
  return (
    <div className="alert alert-danger" role="alert">
      <strong>{title}</strong>
      <p>{error.message}</p>
    </div>
  );
}
