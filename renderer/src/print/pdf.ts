/**
 * Turns a document definition into PDF bytes with pdfmake 0.3 (promise API). pdfmake is loaded
 * lazily (it is large) and the font bytes are fetched once per renderer and written into
 * pdfmake's virtual file system; later documents only lay out and subset. Keeps the timings a
 * benchmark needs: the first document of a session (incl. font load) vs later ones.
 */
import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import { FONT_DICTIONARY, FONT_FAMILY, FONT_FILES, type FontSource, type FontWeight } from './fonts.js';

/** The part of pdfmake's runtime object this module uses (same shape in Node and browser builds). */
interface PdfMakeEngine {
  virtualfs: { writeFileSync(name: string, content: Uint8Array): void };
  setFonts(fonts: typeof FONT_DICTIONARY): void;
  createPdf(def: TDocumentDefinitions): { getBuffer(): Promise<Uint8Array> };
  setUrlAccessPolicy?: (allow: (url: string) => boolean) => void;
  setLocalAccessPolicy?: (allow: (path: string) => boolean) => void;
}

function isEngine(x: unknown): x is PdfMakeEngine {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  const vfs = o['virtualfs'] as Record<string, unknown> | undefined;
  return (
    typeof o['createPdf'] === 'function' &&
    typeof o['setFonts'] === 'function' &&
    typeof vfs?.['writeFileSync'] === 'function'
  );
}

async function importPdfMake(): Promise<unknown> {
  const mod: unknown = await import('pdfmake');
  const candidate = (mod as { default?: unknown }).default ?? mod;
  return candidate;
}

export interface RenderStats {
  /** Documents rendered by this renderer. */
  documents: number;
  /** Time to load pdfmake and the fonts (part of the first document). */
  setupMs: number | null;
  /** The first document, setup included. */
  firstMs: number | null;
  /** The most recent document after the first. */
  lastMs: number | null;
  /** Mean of the documents after the first (the bench's `documents.nextMs`). */
  nextMs: number | null;
  /** Bytes of the most recent document. */
  lastBytes: number | null;
}

export interface PdfRenderer {
  render(def: TDocumentDefinitions): Promise<Uint8Array>;
  /** Loads pdfmake and the fonts ahead of the first document (e.g. when an inspection opens). */
  warmUp(): Promise<void>;
  stats(): RenderStats;
}

const WARM_UP_DOC: TDocumentDefinitions = {
  content: [
    { text: '预热 warm-up 0123', font: FONT_FAMILY },
    { text: '预热 warm-up 0123', font: FONT_FAMILY, bold: true },
  ],
  defaultStyle: { font: FONT_FAMILY },
};

export interface RendererOptions {
  /** How to get pdfmake (tests may inject); defaults to a dynamic import. */
  loadEngine?: () => Promise<unknown>;
  now?: () => number;
}

export function createPdfRenderer(fonts: FontSource, opts: RendererOptions = {}): PdfRenderer {
  const now = opts.now ?? (() => performance.now());
  const loadEngine = opts.loadEngine ?? importPdfMake;
  let ready: Promise<PdfMakeEngine> | null = null;
  const stats: RenderStats = {
    documents: 0,
    setupMs: null,
    firstMs: null,
    lastMs: null,
    nextMs: null,
    lastBytes: null,
  };
  let laterTotalMs = 0;
  let warmed: Promise<void> | null = null;

  async function setup(): Promise<PdfMakeEngine> {
    const started = now();
    const engine = await loadEngine();
    if (!isEngine(engine)) throw new Error('pdfmake 加载失败：接口不符合预期');
    engine.setUrlAccessPolicy?.(() => false);
    engine.setLocalAccessPolicy?.(() => false);
    const weights = Object.keys(FONT_FILES) as FontWeight[];
    const bytes = await Promise.all(weights.map((w) => fonts.load(w)));
    weights.forEach((w, i) => {
      const data = bytes[i];
      if (!data || data.byteLength < 1024) throw new Error(`字体文件无效：${FONT_FILES[w]}`);
      engine.virtualfs.writeFileSync(FONT_FILES[w], data);
    });
    engine.setFonts(FONT_DICTIONARY);
    stats.setupMs = now() - started;
    return engine;
  }

  function engineReady(): Promise<PdfMakeEngine> {
    if (!ready) {
      ready = setup();
      // A failed setup (e.g. font fetch offline before caching) may be retried on the next call.
      ready.catch(() => {
        ready = null;
      });
    }
    return ready;
  }

  return {
    async warmUp() {
      const engine = await engineReady();
      // Lay out a tiny document in both weights once: the first real document then does not pay
      // for parsing the 10 MB font files and for the layout code's first (unoptimised) run.
      warmed ??= engine
        .createPdf(WARM_UP_DOC)
        .getBuffer()
        .then(
          () => undefined,
          () => {
            warmed = null;
          },
        );
      await warmed;
    },
    async render(def) {
      const started = now();
      const engine = await engineReady();
      const buffer = await engine.createPdf(def).getBuffer();
      const out = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      const ms = now() - started;
      if (stats.documents === 0) stats.firstMs = ms;
      else {
        stats.lastMs = ms;
        laterTotalMs += ms;
        stats.nextMs = laterTotalMs / stats.documents;
      }
      stats.documents += 1;
      stats.lastBytes = out.byteLength;
      return out;
    },
    stats: () => ({ ...stats }),
  };
}

/** Runs `fn` and returns its value with the elapsed milliseconds (for benchmarks). */
export async function timed<T>(
  fn: () => Promise<T>,
  now: () => number = () => performance.now(),
): Promise<{ value: T; ms: number }> {
  const started = now();
  const value = await fn();
  return { value, ms: now() - started };
}
