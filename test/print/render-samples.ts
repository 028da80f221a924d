/**
 * Renders every fixture document to PDF and PNG under .tmp/docs/ for a person to look at
 * (`npx tsx test/print/render-samples.ts [dpi]`), and prints the render timings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildDocument, createPdfRenderer } from '../../renderer/src/print/index.js';
import { nodeFontSource } from './node-font-source.js';
import { PdfFile, fixtures } from './pdf-tools.js';

const OUT = '.tmp/docs';
const dpi = Number(process.argv[2] ?? 80);
mkdirSync(OUT, { recursive: true });
const renderer = createPdfRenderer(nodeFontSource);

const docs = [
  ['notice', buildDocument('notice', fixtures.notice())],
  ['record', buildDocument('record', fixtures.record())],
  ['record-refused', buildDocument('record', fixtures.recordRefused())],
  ['rectification', buildDocument('rectification', fixtures.rectification())],
] as const;

for (const [name, def] of docs) {
  const pdf = await renderer.render(def);
  writeFileSync(`${OUT}/${name}.pdf`, pdf);
  const file = new PdfFile(pdf);
  const pages = file.pageCount();
  for (let p = 1; p <= pages; p++) file.png(p, dpi, `${OUT}/${name}-${p}`);
  file.dispose();
  console.log(`${name}: ${pages} page(s), ${pdf.byteLength} bytes`);
}
console.log(renderer.stats());
