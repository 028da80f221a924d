/**
 * One drawing surface (signature_pad) sized for the device pixel ratio. 确认签名 turns the strokes
 * into a PNG Blob and hands it over; 清除 starts again. Used by the signature panel.
 */
import { useEffect, useRef, useState } from 'react';
import SignaturePadLib from 'signature_pad';

interface Props {
  readonly label: string;
  readonly onConfirm: (png: Blob) => Promise<void>;
}

export function SignatureCanvas({ label, onConfirm }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePadLib | null>(null);
  const [empty, setEmpty] = useState(true);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return undefined;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    el.width = el.offsetWidth * ratio;
    el.height = el.offsetHeight * ratio;
    el.getContext('2d')?.scale(ratio, ratio);
    const p = new SignaturePadLib(el, { penColor: '#0b1f44', minWidth: 0.8, maxWidth: 2.4 });
    p.addEventListener('endStroke', () => setEmpty(p.isEmpty()));
    pad.current = p;
    return () => p.off();
  }, []);

  const confirm = async (): Promise<void> => {
    const p = pad.current;
    if (!p || p.isEmpty()) return;
    setBusy(true);
    try {
      const blob = await (await fetch(p.toDataURL('image/png'))).blob();
      await onConfirm(blob);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <canvas ref={canvas} className="sig-canvas" aria-label={label} role="img" />
      <div className="evidence-actions">
        <button
          type="button"
          className="btn btn-primary btn-small"
          disabled={empty || busy}
          onClick={() => void confirm()}
        >
          确认签名
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            pad.current?.clear();
            setEmpty(true);
          }}
        >
          清除
        </button>
      </div>
    </div>
  );
}
