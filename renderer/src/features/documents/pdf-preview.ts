/// <reference types="vite/client" />
/**
 * Renders a PDF's pages to canvases with pdf.js (the preview before printing). A canvas needs no
 * frame-src and no plugin, so it works under the app's CSP (`frame-src 'none'`, no eval) and in a
 * sandboxed Electron window where Chromium's PDF viewer is unavailable. pdf.js and its worker are
 * loaded on first use (lazy chunk, served from the app's own origin: works offline).
 */
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type * as PdfJsModule from 'pdfjs-dist';

type PdfJs = typeof PdfJsModule;
let pdfjs: Promise<PdfJs> | null = null;

function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist').then((m) => {
    m.GlobalWorkerOptions.workerSrc = workerUrl;
    return m;
  });
  return pdfjs;
}

export interface PreviewHandle {
  readonly pages: number;
  cancel(): void;
}

/** Draws every page into `host` (replacing its children); the scale fits the host's width. */
export async function renderPreview(bytes: Uint8Array, host: HTMLElement, signal: AbortSignal): Promise<number> {
  const lib = await loadPdfJs();
  const task = lib.getDocument({ data: bytes.slice(), disableAutoFetch: true });
  signal.addEventListener('abort', () => void task.destroy());
  const doc = await task.promise;
  host.replaceChildren();
  const width = Math.max(320, host.clientWidth - 16);
  const ratio = window.devicePixelRatio || 1;
  for (let n = 1; n <= doc.numPages; n++) {
    if (signal.aborted) break;
    const page = await doc.getPage(n);
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: (width / base.width) * ratio });
    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `预览第 ${n} 页，共 ${doc.numPages} 页`);
    canvas.className = 'doc-page';
    host.append(canvas);
    await page.render({ canvas, viewport }).promise;
  }
  const pages = doc.numPages;
  await task.destroy();
  return pages;
}
