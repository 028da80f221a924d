/**
 * 案卷 (case file): one PDF for a task: a cover with the case facts, the result and the list of
 * documents with the page each starts on, the evidence index (kind, time and SHA-256 of every
 * item), the signatures recorded with the result, then every document as laid out when it was
 * issued. Pages are numbered across the whole bundle ('案卷第 X 页 共 Y 页'); each document keeps
 * its own margins and the signature lines it carries on every page.
 *
 * Each part is a pdfmake section, so the bundle is laid out as one document and the page numbers
 * and the table of contents come from the same layout.
 */
import type { Content, ContentSection, DynamicContent, TDocumentDefinitions, TableCell } from 'pdfmake/interfaces';
import { z } from 'zod';
import { CHECK_METHOD_LABELS, resultSummary } from '../../../shared/domain/results.js';
import { IsoDateSchema, IsoDateTimeSchema, Sha256Schema } from '../../../shared/protocol/common.js';
import { ResultPayloadSchema } from '../../../shared/protocol/results.js';
import { TaskSchema } from '../../../shared/protocol/tasks.js';
import { EvidenceItemSchema } from './case.types.js';
import { evidenceTable } from './evidence-list.js';
import { FONT_FAMILY } from './fonts.js';
import { formatDateCn, formatDateTimeCn, formatTimeRangeCn } from './format.js';
import { PAGE_MARGINS, STYLES, closingBlock, fieldTable, pageLine, section, signatureLines } from './layout.js';
import { AuthoritySchema, PartySchema, VerificationSchema } from './types.js';

export const CASE_FILE_TITLE = '双随机抽查检查案卷';
const TOC_ID = 'case-file';

export const CaseFileInputSchema = z.object({
  authority: AuthoritySchema,
  /** Date the bundle was put together (printed on the cover). */
  issuedOn: IsoDateSchema,
  task: TaskSchema,
  party: PartySchema,
  /** The finalized result; null while the inspection is still open (the cover says so). */
  result: ResultPayloadSchema.nullable(),
  /** The result's own verification link (its content hash), when finalized. */
  verification: VerificationSchema.nullable(),
  evidence: z.array(EvidenceItemSchema),
  /** The signatures recorded with the result: who, in which role, when, and the image's hash. */
  signatures: z.array(
    z.object({
      role: z.string().min(1),
      name: z.string().min(1),
      detail: z.string(),
      signedAt: IsoDateTimeSchema.nullable(),
      sha256: Sha256Schema.nullable(),
    }),
  ),
});
export type CaseFileInput = z.infer<typeof CaseFileInputSchema>;

/** One issued document, laid out again from the input it was issued with. */
export interface CaseFilePart {
  readonly title: string;
  readonly docNo: string;
  readonly voided: boolean;
  readonly definition: TDocumentDefinitions;
  /** The signature lines the document repeats at the foot of each page (none for notices). */
  readonly signatureLabels: readonly string[];
}

function bundleFooter(label: string, signatureLabels: readonly string[]): DynamicContent {
  return (currentPage, pageCount) => {
    const line = pageLine(`案卷第 ${currentPage} 页 共 ${pageCount} 页`, undefined);
    const caption: Content = { text: label, style: 'small', fontSize: 7, alignment: 'center', margin: [0, 2, 0, 0] };
    const stack = signatureLabels.length > 0 ? [signatureLines(signatureLabels), line, caption] : [line, caption];
    return { margin: [PAGE_MARGINS[0], signatureLabels.length > 0 ? 16 : 24, PAGE_MARGINS[2], 0], stack };
  };
}

function cover(input: CaseFileInput, parts: readonly CaseFilePart[]): Content[] {
  const r = input.result;
  const team = input.task.team.map((m) => `${m.name}（执法证号：${m.certNo}）`).join('、');
  return [
    { text: input.authority.name, style: 'authority' },
    { text: CASE_FILE_TITLE, style: 'title' },
    { text: `抽查任务编号：${input.task.taskNo}`, style: 'docNo' },
    fieldTable([
      [['当事人', input.party.name]],
      [
        ['统一社会信用代码', input.party.uscc],
        ['法定代表人', input.party.legalRep || '—'],
      ],
      [['住所', input.party.address]],
      [['抽查计划', `${input.task.plan.name}（${input.task.plan.code}）`]],
      [['检查人员', team]],
      [['检查时间', r ? formatTimeRangeCn(r.startedAt, r.finishedAt) : '检查尚未定稿']],
      [['检查结果', r ? `${resultSummary(r.resultCodes)}` : '检查尚未定稿']],
      [['核查方式', r ? r.checkMethods.map((m) => CHECK_METHOD_LABELS[m]).join('、') : '—']],
      [
        ['组卷日期', formatDateCn(input.issuedOn)],
        ['卷内文书', `${parts.length}件`],
      ],
    ]),
    {
      toc: { id: TOC_ID, title: { text: '卷内文书目录', style: 'section' }, numberStyle: { fontSize: 10.5 } },
      margin: [0, 4, 0, 8],
    },
  ];
}

function signaturesTable(input: CaseFileInput): Content {
  if (input.signatures.length === 0) return { text: '本机没有随检查结果记录的签名。', style: 'body' };
  const head: TableCell[] = ['角色', '姓名', '说明', '签名时间', '签名图片 SHA-256'].map((t) => ({
    text: t,
    style: 'cellLabel',
    alignment: 'center',
  }));
  const rows: TableCell[][] = input.signatures.map((s) => [
    { text: s.role, style: 'cell' },
    { text: s.name, style: 'cell' },
    { text: s.detail || '—', style: 'small' },
    { text: s.signedAt ? formatDateTimeCn(s.signedAt) : '纸面签名', style: 'small' },
    {
      text: s.sha256 ? `${s.sha256.slice(0, 32)}\n${s.sha256.slice(32)}` : '—',
      style: 'small',
      fontSize: 7,
    },
  ]);
  return {
    table: { headerRows: 1, dontBreakRows: true, widths: [44, 50, '*', 62, 138], body: [head, ...rows] },
    layout: { paddingTop: () => 3, paddingBottom: () => 3, paddingLeft: () => 3, paddingRight: () => 3 },
  };
}

function indexPart(input: CaseFileInput): Content[] {
  const r = input.result;
  const out: Content[] = [
    { text: '证据索引及签名', style: 'title', fontSize: 16, tocItem: TOC_ID },
    section(1, `证据索引（共${input.evidence.length}项）`),
    input.evidence.length > 0 ? evidenceTable(input.evidence) : { text: '本次检查未采集证据。', style: 'body' },
    section(2, '签名'),
    signaturesTable(input),
  ];
  if (r && input.verification) {
    out.push(section(3, '检查结果核验'));
    out.push(
      closingBlock({
        authority: input.authority,
        issuedOn: input.issuedOn,
        verification: input.verification,
        docNo: r.resultId,
      }),
    );
  }
  return out;
}

function documentSection(part: CaseFilePart, index: number): ContentSection {
  const def = part.definition;
  const label = `卷内第${index + 1}件：${part.title} ${part.docNo}${part.voided ? '（已作废）' : ''}`;
  const content = Array.isArray(def.content) ? def.content : [def.content];
  return {
    section: [{ text: label, style: 'small', fontSize: 8, tocItem: TOC_ID, margin: [0, 0, 0, 4] }, ...content],
    pageSize: 'A4',
    pageOrientation: 'portrait',
    ...(def.pageMargins ? { pageMargins: def.pageMargins } : {}),
    footer: bundleFooter(label, part.signatureLabels),
  };
}

export function buildCaseFile(raw: CaseFileInput, parts: readonly CaseFilePart[]): TDocumentDefinitions {
  const input = CaseFileInputSchema.parse(raw);
  const front: ContentSection = {
    section: cover(input, parts),
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: PAGE_MARGINS,
    footer: bundleFooter(`${CASE_FILE_TITLE} 封面及目录`, []),
  };
  const index: ContentSection = {
    section: indexPart(input),
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: PAGE_MARGINS,
    footer: bundleFooter(`${CASE_FILE_TITLE} 证据索引及签名`, []),
  };
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: PAGE_MARGINS,
    info: {
      title: `${CASE_FILE_TITLE} ${input.task.taskNo}`,
      author: input.authority.name,
      subject: CASE_FILE_TITLE,
      creator: '双随机抽查现场执法终端',
      creationDate: new Date(`${input.issuedOn}T00:00:00+08:00`),
    },
    defaultStyle: { font: FONT_FAMILY, fontSize: 11 },
    styles: STYLES,
    content: [front, index, ...parts.map(documentSection)],
  };
}
