/**
 * Public API of the on-site documents: build a pdfmake definition for a kind of document, render
 * it to PDF bytes. The UI and the print/save IPC only need this file.
 */
import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import type { FontSource } from './fonts.js';
import { buildNotice } from './notice.js';
import { createPdfRenderer, type PdfRenderer } from './pdf.js';
import { buildRecord } from './record.js';
import { buildDirective } from './directive.js';
import { buildEvidenceList } from './evidence-list.js';
import { buildFoodResult } from './food-result.js';
import { buildPreservation } from './preservation.js';
import { buildQuestioning, questioningSignatureLabels } from './questioning.js';
import { buildServiceProof } from './service-proof.js';
import { buildRectification } from './rectification.js';
import type { DocumentInputs, DocumentKind } from './types.js';

export { DOC_TYPE_LABELS as DOCUMENT_TITLES } from '../../../shared/protocol/docnumbers.js';
export { createPdfRenderer, timed, type PdfRenderer, type RenderStats } from './pdf.js';
export type { FontSource, FontWeight } from './fonts.js';
export { missingGlyphs, fontCovers } from './glyphs.js';
export { formatDocNo, verificationUrl } from './format.js';
export * from './types.js';
export * from './case.types.js';
export { questioningSignatureLabels } from './questioning.js';
export {
  buildCaseFile,
  CaseFileInputSchema,
  CASE_FILE_TITLE,
  type CaseFileInput,
  type CaseFilePart,
} from './case-file.js';

const BUILDERS: { [K in DocumentKind]: (input: DocumentInputs[K]) => TDocumentDefinitions } = {
  notice: buildNotice,
  record: buildRecord,
  rectification: buildRectification,
  questioning: buildQuestioning,
  evidence: buildEvidenceList,
  preservation: buildPreservation,
  service: buildServiceProof,
  directive: buildDirective,
  foodResult: buildFoodResult,
};

/** Validates the input (throws a zh-CN message on bad data) and lays out the document. */
export function buildDocument<K extends DocumentKind>(kind: K, input: DocumentInputs[K]): TDocumentDefinitions {
  const build: (input: DocumentInputs[K]) => TDocumentDefinitions = BUILDERS[kind];
  return build(input);
}

/** The signature lines a document carries at the foot of every page (for the case file's footers). */
export function signatureLabelsOf<K extends DocumentKind>(kind: K, input: DocumentInputs[K]): string[] {
  if (kind === 'record') {
    const r = input as DocumentInputs['record'];
    return [r.partySignature.kind === 'signed' ? '当事人签名' : '见证人签名', '检查人员签名'];
  }
  if (kind === 'questioning') return questioningSignatureLabels(input as DocumentInputs['questioning']);
  if (kind === 'evidence') {
    const e = input as DocumentInputs['evidence'];
    return [e.partySignature.kind === 'signed' ? '当事人签名' : '见证人签名', '执法人员签名'];
  }
  return [];
}

let defaultRenderer: PdfRenderer | null = null;

/**
 * Bundled font assets, imported on first use: the `?url` imports only resolve under Vite, so Node
 * (tests, benchmarks with tsx) can import this file and inject its own FontSource.
 */
const bundledFonts: FontSource = {
  load: async (weight) => (await import('./fonts.browser.js')).browserFontSource.load(weight),
};

/** The app's renderer: fonts from the bundled assets, loaded on the first document and kept. */
export function appRenderer(): PdfRenderer {
  defaultRenderer ??= createPdfRenderer(bundledFonts);
  return defaultRenderer;
}

/** Call when a screen that prints opens, so the first document does not wait for the fonts. */
export function warmUpPdf(): Promise<void> {
  return appRenderer().warmUp();
}

export function renderPdf(def: TDocumentDefinitions): Promise<Uint8Array> {
  return appRenderer().render(def);
}
