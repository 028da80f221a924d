/**
 * The case-file bench page (bundled by Vite from this folder by documents.bench.ts): the app's
 * print module with its bundled fonts lays out and renders the 案卷 of a task with 10 documents
 * (the test fixtures, one of them a multi-page 询问笔录) and 30 photos in its evidence index. The
 * fonts are warmed up first, as the documents panel does when a task opens; each run then builds
 * the definitions afresh (pdfmake writes into what it lays out) and renders the bundle.
 */
import {
  DOCUMENT_TITLES,
  buildCaseFile,
  buildDocument,
  createPdfRenderer,
  signatureLabelsOf,
  type CaseFileInput,
  type CaseFilePart,
  type DocumentInputs,
  type DocumentKind,
} from '../../../renderer/src/print/index.js';
import { browserFontSource } from '../../../renderer/src/print/fonts.browser.js';
import common from '../../fixtures/documents/common.json';
import directive from '../../fixtures/documents/directive.json';
import evidence from '../../fixtures/documents/evidence.json';
import foodResult from '../../fixtures/documents/foodResult.json';
import notice from '../../fixtures/documents/notice.json';
import preservation from '../../fixtures/documents/preservation.json';
import questioning from '../../fixtures/documents/questioning.json';
import record from '../../fixtures/documents/record.json';
import rectification from '../../fixtures/documents/rectification.json';
import service from '../../fixtures/documents/service.json';

const PHOTOS = 30;
const RUNS = 3;

const FIXTURES: readonly [DocumentKind, object][] = [
  ['notice', notice],
  ['record', record],
  ['questioning', questioning],
  ['evidence', evidence],
  ['preservation', preservation],
  ['service', service],
  ['rectification', rectification],
  ['directive', directive],
  ['foodResult', foodResult],
  ['questioning', { ...questioning, docNo: '鹿市监询笔〔2026〕0008号' }],
];

function parts(): CaseFilePart[] {
  return FIXTURES.map(([kind, own]) => {
    const input = { ...common, ...own } as DocumentInputs[typeof kind];
    return {
      title: DOCUMENT_TITLES[kind],
      docNo: input.docNo,
      voided: false,
      definition: buildDocument(kind, input),
      signatureLabels: signatureLabelsOf(kind, input),
    };
  });
}

async function hex(text: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function caseInput(): Promise<CaseFileInput> {
  const photos = await Promise.all(
    Array.from({ length: PHOTOS }, async (_, i) => ({
      id: `ph-${i + 1}`,
      kind: 'photo' as const,
      description: `现场照片 ${i + 1}`,
      capturedAt: `2026-03-12T${String(9 + Math.floor(i / 20)).padStart(2, '0')}:${String((i * 3) % 60).padStart(2, '0')}:00+08:00`,
      sha256: await hex(`photo-${i}`),
      count: 1,
    })),
  );
  const c = common as unknown as Pick<CaseFileInput, 'authority' | 'task' | 'party' | 'result' | 'verification'>;
  return { ...c, issuedOn: '2026-03-13', evidence: photos, signatures: [] };
}

async function main(): Promise<void> {
  const renderer = createPdfRenderer(browserFontSource);
  await renderer.warmUp();
  const input = await caseInput();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    bytes = (await renderer.render(buildCaseFile(input, parts()))).byteLength;
    times.push(performance.now() - t0);
  }
  (globalThis as unknown as { caseFileBench: unknown }).caseFileBench = {
    times,
    bytes,
    documents: FIXTURES.length,
    photos: PHOTOS,
  };
}

main().catch((e: unknown) => {
  (globalThis as unknown as { caseFileBench: unknown }).caseFileBench = { error: String(e) };
});
