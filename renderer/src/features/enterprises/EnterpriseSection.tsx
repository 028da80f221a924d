/** A titled, collapsible section of the credit file, with an optional count and alert tone. */
import type { ReactNode } from 'react';

export function EnterpriseSection({
  title,
  count,
  alert,
  children,
}: {
  title: string;
  count?: number;
  alert?: boolean;
  children: ReactNode;
}) {
  return (
    <details className={`cf-section ${alert ? 'cf-alert' : ''}`} open>
      <summary>
        <h3>
          {title}
          {count !== undefined ? <span className="cf-count">（{count}）</span> : null}
        </h3>
      </summary>
      <div className="cf-body">{children}</div>
    </details>
  );
}
