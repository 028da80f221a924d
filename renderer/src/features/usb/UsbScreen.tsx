/**
 * 传输（U盘）: when the network never comes. 导出待上传结果 writes this inspector's unsent results into
 * one sealed file for the platform (they stay in 待上传 until a receipt arrives); 导入回执 reads the
 * platform's receipts file and marks those results safe exactly as network receipts do. Long steps
 * show progress and can be cancelled; a cancelled step stores nothing.
 */
import { useRef, useState } from 'react';
import { services } from '../../services/index.js';
import type { UsbProgress } from '../../services/index.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { useUi } from '../../state/ui.js';
import { StationImport } from '../station-bundle/StationImport.js';
import { exportedText, progressText, receiptsText } from './usb-text.js';

type Outcome = { readonly ok: boolean; readonly text: string } | null;

function Progress({ p, onCancel }: { p: UsbProgress; onCancel: () => void }) {
  return (
    <div className="usb-progress">
      <progress
        max={p.total || 1}
        value={Math.min(p.done, p.total || 1)}
        aria-label={progressText(p)}
        data-testid="usb-progress"
      />{' '}
      <span role="status">{progressText(p)}</span>{' '}
      <button type="button" className="btn" onClick={onCancel}>
        取消
      </button>
    </div>
  );
}

function OutcomeLine({ outcome, testId }: { outcome: Outcome; testId: string }) {
  if (!outcome) return null;
  return (
    <p
      className={`alert ${outcome.ok ? 'alert-ok' : 'alert-danger'}`}
      role={outcome.ok ? 'status' : 'alert'}
      data-testid={testId}
    >
      {outcome.text}
    </p>
  );
}

/** Runs one long step with progress and a cancel button. */
function useStep() {
  const [progress, setProgress] = useState<UsbProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  async function run<T>(step: (o: { onProgress: (p: UsbProgress) => void; signal: AbortSignal }) => Promise<T>) {
    const controller = new AbortController();
    abort.current = controller;
    setBusy(true);
    try {
      return await step({ onProgress: setProgress, signal: controller.signal });
    } finally {
      abort.current = null;
      setBusy(false);
      setProgress(null);
    }
  }
  return { progress, busy, run, cancel: () => abort.current?.abort() };
}

/** The station bundle through the same picker as every bundle (Electron's native dialog, else a file input). */
async function pickStationBundle(): Promise<Blob | null> {
  const picked = await services.usbResults.pickFile();
  if (!picked.ok) {
    if (!picked.cancelled) throw new Error(picked.message);
    return null;
  }
  return new Blob([picked.bytes as Uint8Array<ArrayBuffer>]);
}

export function UsbScreen() {
  const { data: pending } = useServiceData(
    () => services.usbResults.pendingCount(),
    (l) => services.outbox.subscribe(l),
    [],
  );
  // The navigation's 待上传 count also holds results that wait for the inspector (需处理, paused):
  // those cannot be exported, and the screen says so rather than contradict the badge.
  const waiting = useUi((s) => s.pendingCount);
  const held = pending === undefined || pending === null ? 0 : Math.max(0, waiting - pending);
  const out = useStep();
  const back = useStep();
  const [exported, setExported] = useState<Outcome>(null);
  const [imported, setImported] = useState<Outcome>(null);

  const doExport = async (): Promise<void> => {
    setExported(null);
    try {
      const res = await out.run((o) => services.usbResults.exportResults(o));
      if (!res.ok) return setExported({ ok: false, text: res.error.message });
      const saved = await services.usbResults.saveFile(res.file, res.fileName);
      if (!saved.ok) return setExported({ ok: false, text: saved.message });
      const reasons = [...new Set(res.skipped.map((k) => k.reason))].join('；');
      const skipped = res.skipped.length > 0 ? ` 另有 ${res.skipped.length} 条结果未导出：${reasons}。` : '';
      setExported({
        ok: saved.saved,
        text: saved.saved ? exportedText(res.count, saved.message) + skipped : saved.message,
      });
    } catch (e) {
      setExported({ ok: false, text: `导出失败：${e instanceof Error ? e.message : String(e)}` });
    }
  };

  const doImport = async (): Promise<void> => {
    setImported(null);
    try {
      const picked = await services.usbResults.pickFile();
      if (!picked.ok) return setImported(picked.cancelled ? null : { ok: false, text: picked.message });
      const res = await back.run((o) => services.usbResults.importReceipts(picked.bytes, o));
      setImported(
        res.ok
          ? { ok: true, text: receiptsText(res.marked, res.published) }
          : { ok: false, text: `回执未导入：${res.error.message}` },
      );
    } catch (e) {
      setImported({ ok: false, text: `导入失败：${e instanceof Error ? e.message : String(e)}` });
    }
  };

  return (
    <section className="screen" aria-labelledby="usb-title">
      <h1 id="usb-title">传输（U盘）</h1>
      <p className="small muted">
        没有网络时，用 U
        盘把检查结果交给平台、把平台回执带回本机。文件已加密，只有平台（或本机）能打开，丢失也不会泄露内容。
      </p>
      <section className="card" aria-labelledby="usb-export-title">
        <h2 id="usb-export-title">导出待上传结果</h2>
        <p data-testid="usb-pending">可导出的待上传结果：{pending ?? '…'} 条</p>
        {held > 0 ? (
          <p className="small muted" data-testid="usb-held">
            另有 {held} 条需先在「待上传」中处理，不能导出。
          </p>
        ) : null}
        <button
          type="button"
          className="btn btn-primary"
          disabled={out.busy || pending === 0}
          onClick={() => void doExport()}
        >
          导出待上传结果
        </button>
        {out.progress ? <Progress p={out.progress} onCancel={out.cancel} /> : null}
        <OutcomeLine outcome={exported} testId="usb-export-outcome" />
      </section>
      <section className="card" aria-labelledby="usb-receipts-title">
        <h2 id="usb-receipts-title">导入回执</h2>
        <p className="small muted">
          选择平台导出的回执文件；核验通过后，对应结果标记为平台已接收，联网后不会重复上传。
        </p>
        <button type="button" className="btn" disabled={back.busy} onClick={() => void doImport()}>
          导入回执
        </button>
        {back.progress ? <Progress p={back.progress} onCancel={back.cancel} /> : null}
        <OutcomeLine outcome={imported} testId="usb-receipts-outcome" />
      </section>
      <StationImport source={pickStationBundle} />
    </section>
  );
}
