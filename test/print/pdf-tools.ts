/**
 * Node-side helpers for the document tests: poppler (pdfinfo, pdftotext, pdftoppm) to read and
 * rasterise PDFs, zbarimg to decode the QR code, and the fixtures parsed with the real schemas.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  NoticeInputSchema,
  RecordInputSchema,
  RectificationInputSchema,
  type NoticeInput,
  type RecordInput,
  type RectificationInput,
} from '../../renderer/src/print/types.js';
import {
  DirectiveInputSchema,
  EvidenceListInputSchema,
  FoodResultInputSchema,
  PreservationInputSchema,
  QuestioningInputSchema,
  ServiceProofInputSchema,
  type DirectiveInput,
  type EvidenceListInput,
  type FoodResultInput,
  type PreservationInput,
  type QuestioningInput,
  type ServiceProofInput,
} from '../../renderer/src/print/case.types.js';

const FIXTURES = new URL('../fixtures/documents/', import.meta.url);

function readJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>;
}

function withCommon(name: string): Record<string, unknown> {
  const { authority, task, party, result, verification } = readJson('common.json');
  return { authority, task, party, result, verification, ...readJson(name) };
}

export const fixtures = {
  notice: (): NoticeInput => NoticeInputSchema.parse(withCommon('notice.json')),
  record: (): RecordInput => RecordInputSchema.parse(withCommon('record.json')),
  recordRefused: (): RecordInput => RecordInputSchema.parse(withCommon('record-refused.json')),
  rectification: (): RectificationInput => RectificationInputSchema.parse(withCommon('rectification.json')),
  questioning: (): QuestioningInput => QuestioningInputSchema.parse(withCommon('questioning.json')),
  evidence: (): EvidenceListInput => EvidenceListInputSchema.parse(withCommon('evidence.json')),
  preservation: (): PreservationInput => PreservationInputSchema.parse(withCommon('preservation.json')),
  service: (): ServiceProofInput => ServiceProofInputSchema.parse(withCommon('service.json')),
  directive: (): DirectiveInput => DirectiveInputSchema.parse(withCommon('directive.json')),
  foodResult: (): FoodResultInput => FoodResultInputSchema.parse(withCommon('foodResult.json')),
};

/** A scratch directory with the PDF written into it; call `dispose` when done. */
export class PdfFile {
  readonly dir: string;
  readonly path: string;

  constructor(pdf: Uint8Array) {
    this.dir = mkdtempSync(join(tmpdir(), 'print-test-'));
    this.path = join(this.dir, 'doc.pdf');
    writeFileSync(this.path, pdf);
  }

  pageCount(): number {
    const info = execFileSync('pdfinfo', [this.path], { encoding: 'utf8' });
    const m = /^Pages:\s+(\d+)/m.exec(info);
    if (!m) throw new Error(`pdfinfo printed no page count:\n${info}`);
    return Number(m[1]);
  }

  /** Text of one page (1-based) or the whole document. */
  text(page?: number): string {
    const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
    return execFileSync('pdftotext', ['-enc', 'UTF-8', ...range, this.path, '-'], { encoding: 'utf8' });
  }

  /** Rasterises one page to PNG and returns the PNG's path. */
  png(page: number, dpi: number, outPrefix = join(this.dir, `page-${page}`)): string {
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      String(dpi),
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      this.path,
      outPrefix,
    ]);
    return `${outPrefix}.png`;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Every QR code zbarimg finds in the image (raw payloads). */
export function decodeQr(pngPath: string): string[] {
  // stderr carries harmless D-Bus noise in containers; the payloads are on stdout.
  const out = execFileSync('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', pngPath], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter((l) => l.length > 0);
}

/** pdftotext drops the spaces pdfmake puts between CJK and digits: compare without whitespace. */
export function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface FontkitFont {
  hasGlyphForCodePoint(cp: number): boolean;
}

/** The real glyph table of the embedded font (fontkit ships with pdfkit), to check glyphs.ts against. */
export function openEmbeddedFont(path: string): FontkitFont {
  const fontkit = createRequire(import.meta.url)('fontkit') as { openSync(p: string): FontkitFont };
  return fontkit.openSync(path);
}
