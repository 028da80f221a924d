/**
 * 扫描营业执照: the licence's QR code, from a photo file or the laptop camera, decoded offline
 * (ZXing in WebAssembly). The code's 统一社会信用代码 opens the enterprise's credit file from the
 * local store. Given the task's enterprise, a different code is said plainly: the business on site
 * may not be the one the task names, and the inspector must see that before inspecting.
 */
import { useEffect, useRef, useState } from 'react';
import { usccFromLicenceQr } from '../../../../shared/domain/licence-qr.js';
import type { Enterprise } from '../../../../shared/protocol/index.js';
import { services } from '../../services/index.js';
import { decodeQrTexts } from './qr-decode.js';
import { formatRoute } from '../../state/routes.js';
import { navigate } from '../../state/ui.js';

interface Expected {
  readonly uscc: string;
  readonly name: string;
}

type Outcome =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'problem'; readonly message: string }
  | {
      readonly kind: 'read';
      readonly uscc: string;
      readonly checkProblem: string | null;
      readonly enterprise: Enterprise | null;
    };

const FRAME_MS = 400;

function CameraScan({ onTexts }: { onTexts: (texts: string[]) => void }) {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  // The scanning loop lives as long as the stream; a new callback from a re-render must not restart it.
  const deliver = useRef(onTexts);
  useEffect(() => {
    deliver.current = onTexts;
  }, [onTexts]);

  useEffect(() => {
    if (!stream) return;
    if (video.current) video.current.srcObject = stream;
    let live = true;
    const canvas = document.createElement('canvas');
    const step = async (): Promise<void> => {
      const v = video.current;
      if (!live) return;
      if (v && v.videoWidth > 0) {
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        const g = canvas.getContext('2d', { willReadFrequently: true });
        g?.drawImage(v, 0, 0);
        const texts = g ? await decodeQrTexts(g.getImageData(0, 0, canvas.width, canvas.height)) : [];
        if (!live) return;
        if (texts.length > 0) {
          setStream(null);
          deliver.current(texts);
          return;
        }
      }
      setTimeout(() => void step(), FRAME_MS);
    };
    void step();
    return () => {
      live = false;
      stream.getTracks().forEach((t) => t.stop());
    };
  }, [stream]);

  if (typeof navigator.mediaDevices?.getUserMedia !== 'function') return null;
  if (!stream) {
    return (
      <>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setError(null);
            navigator.mediaDevices
              .getUserMedia({ video: true, audio: false })
              .then(setStream)
              .catch(() => setError('无法打开摄像头（没有摄像头或未允许使用），请改为拍照后从文件识别。'));
          }}
        >
          用摄像头扫描
        </button>
        {error ? (
          <span className="field-error" role="alert">
            {error}
          </span>
        ) : null}
      </>
    );
  }
  return (
    <div className="camera-box">
      <video ref={video} autoPlay playsInline muted aria-label="扫码摄像头画面" />
      <button type="button" className="btn" onClick={() => setStream(null)}>
        停止扫描
      </button>
    </div>
  );
}

function Verdict({ outcome, expected }: { outcome: Extract<Outcome, { kind: 'read' }>; expected?: Expected }) {
  const { uscc, enterprise, checkProblem } = outcome;
  const open = enterprise ? (
    <a href={formatRoute({ name: 'enterprise', uscc })}>打开 {enterprise.name} 的信用档案</a>
  ) : (
    <span>本机没有该代码的企业信用档案（联网同步后可查）。</span>
  );
  const check = checkProblem ? <p className="small field-error">该代码未通过校验：{checkProblem}</p> : null;
  if (expected && uscc !== expected.uscc) {
    return (
      <div className="alert alert-danger" role="alert" data-testid="licence-mismatch">
        <strong>营业执照与任务企业不一致</strong>：执照二维码上的统一社会信用代码为 <span className="mono">{uscc}</span>
        {enterprise ? `（${enterprise.name}）` : ''}，本任务的企业是 {expected.name}（
        <span className="mono">{expected.uscc}</span>）。请核实现场经营主体是否为被检查企业。 {open}
        {check}
      </div>
    );
  }
  return (
    <div className="alert alert-ok" role="status" data-testid="licence-match">
      {expected ? '营业执照二维码与本任务企业一致' : '已识别营业执照二维码'}：<span className="mono">{uscc}</span>。
      {open}
      {check}
    </div>
  );
}

export function LicenceScan({ expected }: { expected?: Expected }) {
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });

  const takeTexts = async (texts: readonly string[]): Promise<void> => {
    if (texts.length === 0) {
      setOutcome({ kind: 'problem', message: '图片中没有识别到二维码，请对准执照右上角的二维码重新拍摄。' });
      return;
    }
    const readings = texts.map(usccFromLicenceQr);
    const hit = readings.find((r) => r.ok);
    if (!hit?.ok) {
      const first = readings[0];
      setOutcome({ kind: 'problem', message: first && !first.ok ? first.error.message : '二维码无法识别' });
      return;
    }
    const enterprise = await services.enterprises.get(hit.uscc);
    // Without a task to compare with, the scan is a way to look the enterprise up: open it at once.
    if (!expected && enterprise) navigate({ name: 'enterprise', uscc: hit.uscc });
    setOutcome({ kind: 'read', uscc: hit.uscc, checkProblem: hit.checkProblem, enterprise });
  };

  const run = (work: () => Promise<readonly string[]>): void => {
    setOutcome({ kind: 'busy' });
    work()
      .then(takeTexts)
      .catch((e: unknown) =>
        setOutcome({ kind: 'problem', message: `识别失败：${e instanceof Error ? e.message : String(e)}` }),
      );
  };

  return (
    <section className="card" aria-labelledby="licence-scan-title" data-testid="licence-scan">
      <h2 id="licence-scan-title">扫描营业执照</h2>
      <p className="small muted">识别执照上的二维码，核对统一社会信用代码并打开本机的企业信用档案（无需联网）。</p>
      <div className="evidence-actions">
        <label className="btn" htmlFor="licence-photo">
          从照片识别
        </label>
        <input
          id="licence-photo"
          className="visually-hidden"
          type="file"
          accept="image/*"
          aria-label="营业执照照片"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) run(() => decodeQrTexts(file));
          }}
        />
        <CameraScan onTexts={(texts) => run(async () => texts)} />
        {outcome.kind === 'busy' ? <span role="status">正在识别…</span> : null}
      </div>
      {outcome.kind === 'problem' ? (
        <p className="alert alert-warn" role="alert">
          {outcome.message}
        </p>
      ) : null}
      {outcome.kind === 'read' ? <Verdict outcome={outcome} expected={expected} /> : null}
    </section>
  );
}
