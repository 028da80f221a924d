/**
 * Status-bar warning while this inspector's uploads are stopped because the platform's
 * transparency log no longer matches what the app verified before (history rewritten).
 */
import { services } from '../../services/index.js';
import { useServiceData } from '../../ui/useServiceData.js';

export function LogAlarmBadge() {
  const { data } = useServiceData(
    () => services.outbox.logAlarm(),
    (l) => services.outbox.subscribe(l),
    [],
  );
  if (!data) return null;
  return (
    <span role="alert" className="badge badge-danger" title={data} data-testid="log-alarm-status">
      平台记录被改写，上传已停止
    </span>
  );
}
