/**
 * 演示数据 badge: shown on the sign-in screen and in the top bar whenever the app runs against the
 * bundled demo platform (nothing real configured), so nobody mistakes simulated enterprises for real ones.
 */
import { services } from '../../services/index.js';
import { useServiceData } from '../../ui/useServiceData.js';

export function DemoBadge() {
  const { data } = useServiceData(() => services.deployment.get(), null, []);
  if (!data?.demo) return null;
  return (
    <span
      className="badge badge-demo"
      role="note"
      title={`演示平台：${data.platformUrl}（模拟数据，非真实企业）`}
      data-testid="demo-badge"
    >
      演示数据
    </span>
  );
}
