/** One enterprise's full credit file, opened from the search (route #/enterprises/<uscc>). */
import '../../styles/enterprises.css';
import { services } from '../../services/index.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { formatRoute } from '../../state/routes.js';
import { CreditFileSummary } from './CreditFileSummary.js';
import { RiskBanner } from './RiskBanner.js';

export function EnterpriseScreen({ uscc }: { uscc: string }) {
  const { data, error, loading } = useServiceData(() => services.enterprises.get(uscc), null, [uscc]);
  if (loading && !data) return <p role="status">正在读取企业档案…</p>;
  if (error)
    return (
      <p className="alert alert-danger" role="alert">
        读取企业档案失败：{error}
      </p>
    );
  if (!data)
    return (
      <p className="alert" role="alert">
        本机没有统一社会信用代码为 {uscc} 的企业档案。<a href={formatRoute({ name: 'enterprises' })}>返回检索</a>
      </p>
    );
  return (
    <article className="enterprise-screen">
      <p>
        <a href={formatRoute({ name: 'enterprises' })}>← 返回企业检索</a>
      </p>
      <RiskBanner e={data} />
      <CreditFileSummary e={data} />
    </article>
  );
}
