/**
 * 现场检查笔录 (on-site inspection record): party and person on site, time from–to,
 * place, inspectors with 执法证号, credential shown / rights explained / recusal asked, what was
 * checked and found per item, conclusion, evidence, the signatures as captured (or the refusal and
 * the witness), and a signature line plus "第 X 页 共 Y 页" on every page.
 */
import type { Content, TDocumentDefinitions, TableCell } from 'pdfmake/interfaces';
import {
  CHECK_METHOD_LABELS,
  FINDING_HANDLING_LABELS,
  FOLLOW_UP_LABELS,
  ITEM_OUTCOME_LABELS,
  resultSummary,
} from '../../../shared/domain/results.js';
import { clipText, mediaTimeText } from '../../../shared/domain/media-clips.js';
import type { EvidenceRef, ItemResult } from '../../../shared/protocol/results.js';
import { findItem, inspectorsLine, inspectorsOf } from './facts.js';
import { checkbox, formatDateCn, formatDateTimeCn, formatTimeRangeCn } from './format.js';
import {
  a4Document,
  closingBlock,
  fieldTable,
  heading,
  numberedList,
  pageFooter,
  paragraph,
  section,
  signatureMark,
} from './layout.js';
import { RecordInputSchema, type Evidence, type RecordInput } from './types.js';

export const RECORD_TITLE = '现场检查笔录';

const EVIDENCE_LABELS: Readonly<Record<Evidence['kind'], [string, string]>> = {
  photo: ['现场照片', '张'],
  video: ['现场视频', '段'],
  audio: ['录音', '段'],
  copy: ['复印件', '份'],
  sample: ['样品', '件'],
  other: ['其他材料', '份'],
};

function partyTable(input: RecordInput): Content {
  const { party, present, result, task } = input;
  return fieldTable([
    [['当事人', party.name]],
    [
      ['统一社会信用代码', party.uscc],
      ['法定代表人', party.legalRep],
    ],
    [['住所', party.address]],
    [
      ['现场负责人', present.name],
      ['职务', present.post],
    ],
    [
      ['身份证件号码', present.idNo],
      ['联系电话', present.phone || party.phone],
    ],
    [['检查时间', formatTimeRangeCn(result.startedAt, result.finishedAt)]],
    [['检查地点', input.place]],
    [['检查人员', inspectorsLine(inspectorsOf(task, result))]],
    [
      ['记录人', input.recorder],
      ['抽查任务编号', task.taskNo],
    ],
  ]);
}

function openingLines(input: RecordInput): Content[] {
  return [
    paragraph(
      `${checkbox(input.credentialShown)} 检查人员已向当事人出示执法证件，表明身份。` +
        `  ${checkbox(input.rightsExplained)} 已告知当事人依法享有陈述、申辩的权利和如实提供资料、配合检查的义务。`,
      false,
    ),
    paragraph(`问：检查人员与你单位有无利害关系？你（单位）是否申请检查人员回避？`, false),
    paragraph(`答：${input.recusal.answer}${input.recusal.requested ? '（申请回避）' : ''}`, false),
  ];
}

function itemNote(r: ItemResult): string {
  const parts: string[] = [];
  if (r.note) parts.push(r.note);
  if (r.finding) {
    parts.push(`发现问题：${r.finding.description}`);
    parts.push(
      `处理：${FINDING_HANDLING_LABELS[r.finding.handling]}` +
        (r.finding.rectifyDeadline ? `（限${formatDateCn(r.finding.rectifyDeadline)}前）` : ''),
    );
  }
  return parts.join('\n') || '—';
}

function itemsTable(input: RecordInput): Content {
  const head: TableCell[] = ['序号', '检查事项', '结果', '检查情况'].map((t) => ({
    text: t,
    style: 'cellLabel',
    alignment: 'center',
  }));
  const rows: TableCell[][] = input.result.itemResults.map((r, i) => [
    { text: String(i + 1), style: 'cell', alignment: 'center' },
    { text: findItem(input.task, r.itemCode).name, style: 'cell' },
    { text: ITEM_OUTCOME_LABELS[r.outcome], style: 'cell', alignment: 'center', bold: r.outcome === 'fail' },
    { text: itemNote(r), style: 'cell' },
  ]);
  return {
    table: { headerRows: 1, dontBreakRows: true, widths: [26, 130, 40, '*'], body: [head, ...rows] },
    layout: { paddingTop: () => 3, paddingBottom: () => 3, paddingLeft: () => 4, paddingRight: () => 4 },
    margin: [0, 0, 0, 6],
  };
}

function conclusion(input: RecordInput): Content[] {
  const r = input.result;
  const lines: Content[] = [
    paragraph(`检查结果：${resultSummary(r.resultCodes)}。`, false),
    paragraph(`核查方式：${r.checkMethods.map((m) => CHECK_METHOD_LABELS[m]).join('、')}。`, false),
  ];
  if (r.followUps.length > 0)
    lines.push(paragraph(`后续处置：${r.followUps.map((f) => FOLLOW_UP_LABELS[f]).join('、')}。`, false));
  if (r.findings.trim()) lines.push(paragraph(`其他情况：${r.findings.trim()}`, false));
  return lines;
}

function evidenceList(evidence: readonly Evidence[]): Content {
  return numberedList(
    evidence.map((e) => {
      const [label, unit] = EVIDENCE_LABELS[e.kind];
      return `${label}${e.count}${unit}：${e.description}`;
    }),
  );
}

/** Where an item was taken, as printed: a registered address is marked as not a position fix. */
function evidencePlace(e: EvidenceRef): string {
  const p = e.place;
  if (!p) return '未记录地点';
  if (p.source === 'registered-address') return `企业登记地址（非现场定位）${p.address}`;
  return `定位 ${p.lat.toFixed(5)},${p.lon.toFixed(5)}（±${Math.round(p.accuracyM)}米）`;
}

const EVIDENCE_REF_KINDS: Readonly<Record<EvidenceRef['kind'], string>> = {
  photo: '照片',
  scan: '扫描件',
  video: '录像',
  audio: '录音',
};

/** A recording's length, time range and marked clips (the file itself stays whole). */
function mediaLine(e: EvidenceRef): string {
  if (!e.media) return '';
  const clips = e.media.clips.length > 0 ? `；标记片段：${e.media.clips.map(clipText).join('；')}` : '';
  return `；${mediaTimeText(e.media)}${clips}`;
}

/**
 * Each stored file by kind, time, place and SHA-256, so the printed record names the very files
 * the content hash covers; a marked-up copy names its original's hash.
 */
function evidenceItems(items: readonly EvidenceRef[]): Content[] {
  if (items.length === 0) return [];
  return [
    paragraph('证据清单（类别、时间、地点、SHA-256 校验值）：', false),
    numberedList(
      items.map((e) => {
        const kind = e.annotationOf ? '标注照片' : EVIDENCE_REF_KINDS[e.kind];
        const of = e.annotationOf ? `；原件 SHA-256 ${e.annotationOf.sha256}` : mediaLine(e);
        const caption = e.caption.trim() ? `（${e.caption.trim()}）` : '';
        return `${kind}${caption}，${formatDateTimeCn(e.capturedAt)}，${evidencePlace(e)}；SHA-256 ${e.sha256}${of}`;
      }),
    ),
  ];
}

function signatureRow(label: string, mark: Content, extra: string): Content {
  return {
    columns: [
      { text: label ? `${label}：` : '', style: 'body', width: 110 },
      { stack: [mark], width: 130 },
      { text: extra, style: 'body', width: '*', margin: [8, 0, 0, 0] },
    ],
    margin: [0, 4, 0, 0],
  };
}

function signatures(input: RecordInput): Content {
  const rows: Content[] = [paragraph('以上笔录当事人已阅（已向当事人宣读），经核对与事实相符。', false)];
  const ps = input.partySignature;
  if (ps.kind === 'signed') {
    rows.push(
      signatureRow(
        '当事人（签名）',
        signatureMark(ps.signature),
        `${ps.signature.name}    ${formatDateCn(input.issuedOn)}`,
      ),
    );
  } else {
    rows.push(paragraph(`当事人拒绝签名。拒签情况：${ps.note}`, false));
    rows.push(
      signatureRow(
        '见证人（签名）',
        signatureMark(ps.witness.signature),
        `${ps.witness.name}\n身份证件号码：${ps.witness.idNo}`,
      ),
    );
  }
  const members = inspectorsOf(input.task, input.result);
  input.inspectorSignatures.forEach((sig, i) => {
    const certNo = members.find((m) => m.name === sig.name)?.certNo;
    rows.push(
      signatureRow(
        i === 0 ? '检查人员（签名）' : '',
        signatureMark(sig),
        certNo ? `${sig.name}（执法证号：${certNo}）` : sig.name,
      ),
    );
  });
  // The recorder is usually one of the inspectors: the same captured signature stands for both.
  const recorderSig = input.inspectorSignatures.find((s) => s.name === input.recorder) ?? null;
  rows.push(signatureRow('记录人（签名）', signatureMark(recorderSig), input.recorder));
  return { stack: rows, unbreakable: true, margin: [0, 6, 0, 0] };
}

export function buildRecord(raw: RecordInput): TDocumentDefinitions {
  const input = RecordInputSchema.parse(raw);
  const content: Content[] = [
    ...heading(input, RECORD_TITLE),
    partyTable(input),
    ...openingLines(input),
    section(1, '检查情况'),
    itemsTable(input),
    ...conclusion(input),
    section(2, '证据材料'),
    evidenceList(input.evidence),
    ...evidenceItems(input.result.evidence ?? []),
    section(3, '签名确认'),
    signatures(input),
    closingBlock(input),
  ];
  const partyLabel = input.partySignature.kind === 'signed' ? '当事人签名' : '见证人签名';
  return a4Document({
    meta: input,
    title: RECORD_TITLE,
    content,
    footer: pageFooter({ signatureLabels: [partyLabel, '检查人员签名'] }),
    signedFooter: true,
  });
}
