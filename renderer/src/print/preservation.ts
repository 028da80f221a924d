/**
 * 先行登记保存证据通知书 (evidence-preservation notice): why the evidence may be lost or be hard to
 * obtain later, the legal basis, the list of items, where and by whom they are kept, for how
 * long, the duty not to destroy or move them, the remedies, and the party's receipt line.
 */
import type { Content, TDocumentDefinitions, TableCell } from 'pdfmake/interfaces';
import { PreservationInputSchema, type PreservationInput } from './case.types.js';
import { formatDateCn } from './format.js';
import { a4Document, heading, keepWithClosing, pageFooter, paragraph } from './layout.js';

export const PRESERVATION_TITLE = '先行登记保存证据通知书';
/** The law allows at most seven days for a decision on preserved evidence. */
const MAX_DAYS = 7;

function itemsTable(items: PreservationInput['items']): Content {
  const head: TableCell[] = ['序号', '物品名称', '规格型号', '数量', '备注'].map((t) => ({
    text: t,
    style: 'cellLabel',
    alignment: 'center',
  }));
  const rows: TableCell[][] = items.map((x, i) => [
    { text: String(i + 1), style: 'cell', alignment: 'center' },
    { text: x.name, style: 'cell' },
    { text: x.spec || '—', style: 'cell' },
    { text: x.quantity, style: 'cell', alignment: 'center' },
    { text: x.note || '—', style: 'cell' },
  ]);
  return {
    table: { headerRows: 1, dontBreakRows: true, widths: [26, '*', 90, 60, 90], body: [head, ...rows] },
    layout: { paddingTop: () => 3, paddingBottom: () => 3, paddingLeft: () => 4, paddingRight: () => 4 },
    margin: [0, 2, 0, 6],
  };
}

function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export function buildPreservation(raw: PreservationInput): TDocumentDefinitions {
  const input = PreservationInputSchema.parse(raw);
  const span = days(input.from, input.to);
  if (span < 1) throw new Error('先行登记保存期限的结束日期早于开始日期');
  if (span > MAX_DAYS) throw new Error(`先行登记保存期限不得超过${MAX_DAYS}日`);
  const content: Content[] = [
    ...heading(input, PRESERVATION_TITLE),
    { text: `${input.party.name}：`, style: 'body', margin: [0, 4, 0, 0] },
    { text: `（统一社会信用代码：${input.party.uscc}）`, style: 'body', margin: [0, 0, 0, 4] },
    paragraph(
      `因${input.reason}，证据可能灭失或者以后难以取得。根据${input.legalBasis}的规定，` +
        `经本局负责人批准，决定对你（单位）的下列物品先行登记保存：`,
    ),
    itemsTable(input.items),
    paragraph(
      `保存地点：${input.keptAt}。保存人：${input.keptBy}。保存期限：自${formatDateCn(input.from)}至` +
        `${formatDateCn(input.to)}。在此期间，当事人或者有关人员不得损毁、销毁或者转移证据。` +
        '本局将在七日内依法作出处理决定。',
    ),
    keepWithClosing([paragraph(input.remedies || '—')], input, true),
  ];
  return a4Document({
    meta: input,
    title: PRESERVATION_TITLE,
    content,
    footer: pageFooter({ signatureLabels: [], template: input.template }),
  });
}
