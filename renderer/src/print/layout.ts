/**
 * Shared layout of the on-site documents: A4 page, the heading block (issuing authority, centred
 * title, document number), bordered field tables like the printed forms, numbered sections, the
 * closing block (verification QR code, authority and date for the seal) and the page footer.
 * Pure: content in, pdfmake nodes out.
 */
import type { Content, DynamicContent, StyleDictionary, TDocumentDefinitions, TableCell } from 'pdfmake/interfaces';
import { FONT_FAMILY } from './fonts.js';
import { chineseNumeral, formatDateCn, verificationUrl } from './format.js';
import type { DocumentMeta, Signature } from './types.js';

/** A4 in points; left margin wider for binding (装订线). */
export const PAGE_MARGINS: [number, number, number, number] = [72, 50, 60, 56];
/** Bottom margin when the footer carries signature lines as well as the page number. */
const SIGNED_FOOTER_BOTTOM = 80;
const QR_SIZE = 78;

export const STYLES: StyleDictionary = {
  authority: { fontSize: 15, alignment: 'center', margin: [0, 0, 0, 4] },
  title: { fontSize: 22, bold: true, alignment: 'center', characterSpacing: 2, margin: [0, 0, 0, 6] },
  docNo: { fontSize: 11, alignment: 'right', margin: [0, 0, 0, 10] },
  section: { fontSize: 12, bold: true, margin: [0, 6, 0, 2] },
  body: { fontSize: 11, lineHeight: 1.35 },
  listItem: { fontSize: 11, lineHeight: 1.25 },
  cellLabel: { fontSize: 10.5, bold: true },
  cell: { fontSize: 10.5, lineHeight: 1.3 },
  small: { fontSize: 9, color: '#333333' },
  footer: { fontSize: 9 },
};

export interface PageOptions {
  meta: DocumentMeta;
  title: string;
  content: Content[];
  footer: DynamicContent;
  /** True when the footer repeats signature lines (the record): needs a taller bottom margin. */
  signedFooter?: boolean;
}

/** The whole definition; creationDate comes from issuedOn so the output is reproducible. */
export function a4Document(opts: PageOptions): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: opts.signedFooter
      ? [PAGE_MARGINS[0], PAGE_MARGINS[1], PAGE_MARGINS[2], SIGNED_FOOTER_BOTTOM]
      : PAGE_MARGINS,
    info: {
      title: `${opts.title} ${opts.meta.docNo}`,
      author: opts.meta.authority.name,
      subject: opts.title,
      creator: '双随机抽查现场执法终端',
      creationDate: new Date(`${opts.meta.issuedOn}T00:00:00+08:00`),
    },
    defaultStyle: { font: FONT_FAMILY, fontSize: 11 },
    styles: STYLES,
    content: opts.content,
    footer: opts.footer,
  };
}

export function heading(meta: DocumentMeta, title: string): Content[] {
  return [
    { text: meta.authority.name, style: 'authority' },
    { text: title, style: 'title' },
    { text: meta.docNo, style: 'docNo' },
  ];
}

/** A bordered two-or-four column grid like the header of the printed 笔录 form. */
export function fieldTable(rows: ReadonlyArray<ReadonlyArray<readonly [string, string]>>): Content {
  const body: TableCell[][] = rows.map((row) => {
    if (row.length === 1) {
      const [label, value] = row[0] ?? ['', ''];
      return [{ text: label, style: 'cellLabel' }, { text: value, style: 'cell', colSpan: 3 }, '', ''];
    }
    return row.slice(0, 2).flatMap(([label, value]) => [
      { text: label, style: 'cellLabel' },
      { text: value, style: 'cell' },
    ]);
  });
  return {
    table: { widths: [86, '*', 74, '*'], body },
    layout: { paddingTop: () => 4, paddingBottom: () => 4, paddingLeft: () => 5, paddingRight: () => 5 },
    margin: [0, 0, 0, 8],
  };
}

export function section(index: number, title: string): Content {
  return { text: `${chineseNumeral(index)}、${title}`, style: 'section' };
}

export function paragraph(text: string, indent = true): Content {
  return { text, style: 'body', leadingIndent: indent ? 23 : 0, margin: [0, 0, 0, 3] };
}

/** '1. …' lines; long lines wrap under the text, not under the number. */
export function numberedList(items: readonly string[]): Content {
  if (items.length === 0) return paragraph('无。');
  return {
    table: {
      widths: [22, '*'],
      body: items.map((item, i) => [
        { text: `${i + 1}.`, style: 'listItem', alignment: 'right' },
        { text: item, style: 'listItem' },
      ]),
    },
    layout: {
      hLineWidth: () => 0,
      vLineWidth: () => 0,
      paddingTop: () => 1,
      paddingBottom: () => 1,
      paddingLeft: () => 2,
      paddingRight: () => 2,
    },
    margin: [0, 0, 0, 4],
  };
}

/** A signature as captured: the drawn image, or a blank line for a pen. */
export function signatureMark(sig: Signature | null, width = 110): Content {
  if (sig?.imageDataUrl) return { image: sig.imageDataUrl, fit: [width, 34] };
  return { canvas: [{ type: 'line', x1: 0, y1: 0, x2: width, y2: 0, lineWidth: 0.6 }], margin: [0, 24, 0, 4] };
}

/**
 * The end of a document kept on one page: its last body text, the closing block (QR, authority,
 * date) and the receipt line. An official document never leaves its 落款 alone on a page
 * (GB/T 9704), so when they do not fit, the last paragraph moves over with them.
 */
export function keepWithClosing(lastBody: Content[], meta: DocumentMeta, receipt: boolean): Content {
  const tail: Content[] = [...lastBody, closingBlock(meta)];
  if (receipt)
    tail.push({
      text: '当事人签收：______________        签收日期：______年____月____日',
      style: 'body',
      margin: [0, 16, 0, 0],
    });
  return { stack: tail, unbreakable: true };
}

/** QR code with the verification link on the left; authority name and date (for the seal) on the right. */
export function closingBlock(meta: DocumentMeta): Content {
  const url = verificationUrl(meta.verification);
  return {
    unbreakable: true,
    margin: [0, 12, 0, 0],
    columns: [
      {
        width: QR_SIZE + 60,
        stack: [
          { qr: url, fit: QR_SIZE, eccLevel: 'M', margin: [0, 0, 0, 3] },
          { text: '扫码核验本文书', style: 'small' },
        ],
      },
      {
        width: '*',
        alignment: 'right',
        margin: [0, 24, 10, 0],
        stack: [
          { text: `${meta.authority.name}（印章）`, style: 'body' },
          { text: formatDateCn(meta.issuedOn), style: 'body' },
        ],
      },
    ],
  };
}

export interface FooterOptions {
  /** Labels of the signature lines repeated on every page (e.g. 当事人签名); none for notices. */
  signatureLabels: readonly string[];
  /** Template version, printed small beside the page number. */
  template?: string | undefined;
}

/** The page line: '第 X 页 共 Y 页' centred, the template version small at the right. */
export function pageLine(text: string, template: string | undefined): Content {
  const page: Content = { text, style: 'footer', alignment: 'center' };
  if (!template) return page;
  return {
    columns: [
      { text: '', width: 90 },
      { ...page, width: '*' },
      { text: `文书格式 ${template}`, style: 'small', fontSize: 7, alignment: 'right', width: 90 },
    ],
  };
}

/** The signature lines a document repeats at the foot of every page. */
export function signatureLines(labels: readonly string[]): Content {
  return {
    columns: labels.map((label) => ({ text: `${label}：______________`, style: 'footer' })),
    margin: [0, 0, 0, 8],
  };
}

/** '第 X 页 共 Y 页', with signature lines above it when the document needs a signature per page. */
export function pageFooter(opts: FooterOptions): DynamicContent {
  return (currentPage, pageCount) => {
    const pageText = pageLine(`第 ${currentPage} 页 共 ${pageCount} 页`, opts.template);
    if (opts.signatureLabels.length === 0) {
      return { margin: [PAGE_MARGINS[0], 24, PAGE_MARGINS[2], 0], stack: [pageText] };
    }
    return {
      margin: [PAGE_MARGINS[0], 16, PAGE_MARGINS[2], 0],
      stack: [signatureLines(opts.signatureLabels), pageText],
    };
  };
}
