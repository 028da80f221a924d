/**
 * 标注照片: arrows, circles, freehand and text drawn over a copy of a photo. Saving stores the
 * drawing as a new evidence item that names the original (its id and SHA-256); the original file is
 * never changed. Marks are kept as data until then, so 撤销 removes the last one exactly.
 */
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { services } from '../../services/index.js';
import type { EvidenceFile } from '../../services/index.js';
import { drawMark, TOOL_LABELS, unitFor, type Mark, type Point, type Tool } from './annotation-draw.js';

const MAX_SIDE = 2400;

interface Props {
  readonly file: EvidenceFile;
  readonly label: string;
  readonly onSaved: (file: EvidenceFile) => void;
  readonly onClose: () => void;
}

export function PhotoAnnotator({ file, label, onSaved, onClose }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [image, setImage] = useState<ImageBitmap | null>(null);
  const [marks, setMarks] = useState<readonly Mark[]>([]);
  const [drawing, setDrawing] = useState<Mark | null>(null);
  const [tool, setTool] = useState<Tool>('arrow');
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let live = true;
    createImageBitmap(file.blob)
      .then((b) => (live ? setImage(b) : b.close()))
      .catch(() => setProblem('这张图片无法打开，不能标注'));
    return () => {
      live = false;
    };
  }, [file.blob]);
  useEffect(() => () => image?.close(), [image]);

  const scale = image ? Math.min(1, MAX_SIDE / Math.max(image.width, image.height)) : 1;
  const width = image ? Math.round(image.width * scale) : 0;
  const height = image ? Math.round(image.height * scale) : 0;

  useEffect(() => {
    const g = canvas.current?.getContext('2d');
    if (!g || !image) return;
    g.drawImage(image, 0, 0, width, height);
    const unit = unitFor(width, height);
    for (const m of drawing ? [...marks, drawing] : marks) drawMark(g, m, unit);
  }, [image, marks, drawing, width, height]);

  const at = (e: PointerEvent<HTMLCanvasElement>): Point => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * width) / r.width, y: ((e.clientY - r.top) * height) / r.height };
  };

  const down = (e: PointerEvent<HTMLCanvasElement>): void => {
    const p = at(e);
    if (tool === 'text') {
      if (!text.trim()) {
        setProblem('请先填写标注文字，再点击照片上要放文字的位置');
        return;
      }
      setProblem(null);
      setMarks((ms) => [...ms, { tool: 'text', at: p, text: text.trim() }]);
      return;
    }
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrawing(tool === 'free' ? { tool, points: [p] } : { tool, from: p, to: p });
  };
  const move = (e: PointerEvent<HTMLCanvasElement>): void => {
    if (!drawing) return;
    const p = at(e);
    if (drawing.tool === 'free') setDrawing({ ...drawing, points: [...drawing.points, p] });
    else if (drawing.tool !== 'text') setDrawing({ ...drawing, to: p });
  };
  const up = (): void => {
    if (drawing) setMarks((ms) => [...ms, drawing]);
    setDrawing(null);
  };

  const save = async (): Promise<void> => {
    const c = canvas.current;
    if (!c || marks.length === 0) return;
    setSaving(true);
    setProblem(null);
    try {
      const blob = await new Promise<Blob | null>((resolve) => c.toBlob(resolve, 'image/png'));
      if (!blob) throw new Error('无法生成标注图片');
      const out = await services.inspection.annotateEvidence(file.id, blob);
      if (!out.ok) setProblem(out.error.message);
      else onSaved(out.file);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="card annotator" role="group" aria-label={`标注${label}`}>
      <h3>标注{label}</h3>
      <p className="small muted">标注保存为一件新的证据，并注明原照片及其 SHA-256；原照片不会被修改。</p>
      <div className="evidence-actions" role="radiogroup" aria-label="标注工具">
        {(Object.keys(TOOL_LABELS) as Tool[]).map((t) => (
          <label key={t} className="small">
            <input type="radio" name="annotate-tool" checked={tool === t} onChange={() => setTool(t)} />{' '}
            {TOOL_LABELS[t]}
          </label>
        ))}
        <label className="small" htmlFor="annotate-text">
          标注文字
        </label>
        <input id="annotate-text" value={text} maxLength={40} onChange={(e) => setText(e.target.value)} />
      </div>
      {image ? (
        <canvas
          ref={canvas}
          width={width}
          height={height}
          className="annotator-canvas"
          aria-label="标注画布"
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerCancel={up}
        />
      ) : problem ? null : (
        <p role="status">正在打开照片…</p>
      )}
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="evidence-actions">
        <button
          type="button"
          className="btn"
          disabled={marks.length === 0}
          onClick={() => setMarks((ms) => ms.slice(0, -1))}
        >
          撤销
        </button>
        <button
          type="button"
          className="btn btn-primary"
          disabled={marks.length === 0 || saving}
          onClick={() => void save()}
        >
          保存标注（新证据）
        </button>
        <button type="button" className="btn" onClick={onClose}>
          取消
        </button>
      </div>
    </div>
  );
}
