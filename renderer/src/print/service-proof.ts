/**
 * 送达回证 (proof of service): which documents were served, on whom, where, how and when, by whom;
 * the recipient's signature (or who received it for the party and how they are related), or the
 * refusal and the witness of a 留置送达.
 */
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { ServiceProofInputSchema, type ServiceProofInput } from './case.types.js';
import { checkbox, formatDateTimeCn } from './format.js';
import { a4Document, closingBlock, fieldTable, heading, pageFooter, paragraph, signatureMark } from './layout.js';
import { signatureRow } from './signing.js';

export const SERVICE_PROOF_TITLE = '送达回证';
/** Wide enough for 受送达人（签名或盖章） on one line. */
const LABEL_WIDTH = 140;

export const SERVICE_METHOD_LABELS: Readonly<Record<ServiceProofInput['method'], string>> = {
  direct: '直接送达',
  left: '留置送达',
  mail: '邮寄送达',
  electronic: '电子送达',
  entrusted: '委托送达',
};

function methods(chosen: ServiceProofInput['method']): string {
  return Object.entries(SERVICE_METHOD_LABELS)
    .map(([k, label]) => `${checkbox(k === chosen)}${label}`)
    .join('  ');
}

function receiptRows(input: ServiceProofInput): Content[] {
  const r = input.receipt;
  if (r.kind === 'received') {
    const who = r.relation ? `${r.recipient}（代收，与受送达人关系：${r.relation}）` : r.recipient;
    return [
      signatureRow(
        '受送达人（签名或盖章）',
        signatureMark(r.signature),
        `${who}\n${formatDateTimeCn(input.servedAt)}`,
        LABEL_WIDTH,
      ),
    ];
  }
  return [
    paragraph(
      `受送达人拒绝签收。拒收情况：${r.note}。送达人已将文书留置于送达地点，并以拍照、录像方式记录送达过程。`,
      false,
    ),
    signatureRow(
      '见证人（签名）',
      signatureMark(r.witness.signature),
      `${r.witness.name}\n身份证件号码：${r.witness.idNo || '—'}`,
      LABEL_WIDTH,
    ),
  ];
}

export function buildServiceProof(raw: ServiceProofInput): TDocumentDefinitions {
  const input = ServiceProofInputSchema.parse(raw);
  if ((input.method === 'left') !== (input.receipt.kind === 'refused'))
    throw new Error('留置送达仅用于受送达人拒绝签收的情形，拒收时请选择留置送达');
  const content: Content[] = [
    ...heading(input, SERVICE_PROOF_TITLE),
    fieldTable([
      [['送达文书', input.served.map((d) => `${d.title}（${d.docNo}）`).join('\n')]],
      [['受送达人', `${input.party.name}（统一社会信用代码：${input.party.uscc}）`]],
      [['送达地点', input.place]],
      [['送达方式', methods(input.method)]],
      [['送达时间', formatDateTimeCn(input.servedAt)]],
      [['送达人', input.server.join('、')]],
    ]),
    ...receiptRows(input),
    ...input.server.map((name, i) =>
      signatureRow(i === 0 ? '送达人（签名）' : '', signatureMark(null), name, LABEL_WIDTH),
    ),
    closingBlock(input),
  ];
  return a4Document({
    meta: input,
    title: SERVICE_PROOF_TITLE,
    content,
    footer: pageFooter({ signatureLabels: [], template: input.template }),
  });
}
