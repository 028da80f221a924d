/**
 * 导入站所数据包（U盘）: pick the station bundle file the platform exported, see it read and verified,
 * then imported (tasks, credit files, number blocks), with progress and 取消. The screen hands over
 * the picker: Electron's native dialog through main, or the browser's file input.
 */
import { useRef, useState } from 'react';
import { services, type StationImportProgress, type StationImportResult } from '../../services/index.js';

const STEP_LABELS: Record<StationImportProgress['step'], string> = {
  reading: '读取并核验',
  tasks: '导入任务',
  enterprises: '导入企业档案',
  done: '完成',
};

function percentOf(p: StationImportProgress): number | null {
  return p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;
}

export function StationImport({ source }: { source: () => Promise<Blob | null> }) {
  const [progress, setProgress] = useState<StationImportProgress | null>(null);
  const [result, setResult] = useState<StationImportResult | null>(null);
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const run = async (file: Blob): Promise<void> => {
    const controller = new AbortController();
    abort.current = controller;
    setRunning(true);
    setResult(null);
    setProgress(null);
    try {
      setResult(await services.stationBundle.importFile(file, { onProgress: setProgress, signal: controller.signal }));
    } catch (e) {
      setResult({
        ok: false,
        error: { kind: 'bad-contents', message: `导入失败：${e instanceof Error ? e.message : String(e)}` },
      });
    } finally {
      setRunning(false);
      abort.current = null;
    }
  };

  const pick = async (): Promise<void> => {
    let file: Blob | null;
    try {
      file = await source();
    } catch (e) {
      setResult({ ok: false, error: { kind: 'bad-contents', message: e instanceof Error ? e.message : String(e) } });
      return;
    }
    if (file) await run(file);
  };

  const percent = progress ? percentOf(progress) : null;
  return (
    <div className="card" aria-labelledby="station-import-title">
      <h2 id="station-import-title">导入站所数据包（U盘）</h2>
      <p className="muted">
        没有网络时，可导入平台导出的站所数据包（任务、企业信用档案、文书编号）。导入后联网同步只会下载之后的变化。
      </p>
      <div className="actions">
        <button type="button" className="btn btn-primary" onClick={() => void pick()} disabled={running}>
          选择站所数据包文件…
        </button>
        <button type="button" className="btn" onClick={() => abort.current?.abort()} disabled={!running}>
          取消导入
        </button>
      </div>
      {progress && running ? (
        <>
          <p aria-live="polite" data-testid="station-import-step">
            {STEP_LABELS[progress.step]}：{progress.message}
          </p>
          <div
            className="progress"
            role="progressbar"
            aria-label="导入进度"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent ?? undefined}
          >
            <div className="progress-bar" style={{ width: `${percent ?? 0}%` }} />
          </div>
        </>
      ) : null}
      {result?.ok ? (
        <p className="alert alert-ok" role="status" data-testid="station-import-result">
          导入完成：任务 {result.summary.tasks} 项，企业档案 {result.summary.enterprises.toLocaleString('zh-CN')}{' '}
          条，文书编号段 {result.summary.numberBlocks} 个
          {result.summary.skipped.length > 0 ? `；未覆盖：${result.summary.skipped.join('、')}` : ''}
        </p>
      ) : null}
      {result && !result.ok ? (
        <p
          className={result.error.kind === 'cancelled' ? 'alert alert-info' : 'alert alert-danger'}
          role="alert"
          data-testid="station-import-result"
        >
          {result.error.message}
        </p>
      ) : null}
    </div>
  );
}
