/**
 * The marks an inspector draws on a photo, as data, and how they are painted: red, with a white
 * halo so they stay visible on dark and light parts of the photo alike. Sizes scale with the image
 * so a mark looks the same on a 640 px scan and a 4000 px camera photo.
 */
export interface Point {
  readonly x: number;
  readonly y: number;
}

export type Mark =
  | { readonly tool: 'arrow' | 'circle'; readonly from: Point; readonly to: Point }
  | { readonly tool: 'free'; readonly points: readonly Point[] }
  | { readonly tool: 'text'; readonly at: Point; readonly text: string };

export type Tool = Mark['tool'];

export const TOOL_LABELS: Readonly<Record<Tool, string>> = {
  arrow: '箭头',
  circle: '圆圈',
  free: '手绘',
  text: '文字',
};

const INK = '#e53935';
const HALO = 'rgba(255, 255, 255, 0.85)';

function path(g: CanvasRenderingContext2D, m: Mark, unit: number): void {
  g.beginPath();
  if (m.tool === 'free') {
    m.points.forEach((p, i) => (i === 0 ? g.moveTo(p.x, p.y) : g.lineTo(p.x, p.y)));
  } else if (m.tool === 'circle') {
    const rx = Math.abs(m.to.x - m.from.x) / 2;
    const ry = Math.abs(m.to.y - m.from.y) / 2;
    g.ellipse((m.from.x + m.to.x) / 2, (m.from.y + m.to.y) / 2, Math.max(rx, 1), Math.max(ry, 1), 0, 0, Math.PI * 2);
  } else if (m.tool === 'arrow') {
    const angle = Math.atan2(m.to.y - m.from.y, m.to.x - m.from.x);
    const head = unit * 6;
    g.moveTo(m.from.x, m.from.y);
    g.lineTo(m.to.x, m.to.y);
    for (const side of [-1, 1]) {
      g.moveTo(m.to.x, m.to.y);
      g.lineTo(m.to.x - head * Math.cos(angle + side * 0.45), m.to.y - head * Math.sin(angle + side * 0.45));
    }
  }
}

/** Paints one mark; `unit` is the line width for this image (see unitFor). */
export function drawMark(g: CanvasRenderingContext2D, m: Mark, unit: number): void {
  g.save();
  g.lineCap = 'round';
  g.lineJoin = 'round';
  if (m.tool === 'text') {
    g.font = `bold ${Math.round(unit * 8)}px sans-serif`;
    g.textBaseline = 'middle';
    g.lineWidth = unit * 1.5;
    g.strokeStyle = HALO;
    g.strokeText(m.text, m.at.x, m.at.y);
    g.fillStyle = INK;
    g.fillText(m.text, m.at.x, m.at.y);
  } else {
    path(g, m, unit);
    g.strokeStyle = HALO;
    g.lineWidth = unit * 2;
    g.stroke();
    g.strokeStyle = INK;
    g.lineWidth = unit;
    g.stroke();
  }
  g.restore();
}

/** Line width for an image of this size: about 1/250 of its longer side, at least 3 px. */
export function unitFor(width: number, height: number): number {
  return Math.max(3, Math.round(Math.max(width, height) / 250));
}
