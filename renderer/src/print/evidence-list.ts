/**
 * 证据提取单 (evidence list): every item taken or recorded on site, with its kind, when it was
 * captured and the SHA-256 of the file the device holds, so the paper and the files can be matched
 * later; the party confirms the list (or refuses, with a witness) and the officers sign.
 */
import type { Content, TDocumentDefinitions, TableCell } from 'pdfmake/interfaces';
import { EvidenceListInputSchema, type EvidenceItem, type EvidenceListInput } from './case.types.js';
import { formatDateTimeCn } from './format.js';
import { a4Document, closingBlock, fieldTable, heading, pageFooter, paragraph } from './layout.js';
import { officerRows, partyRows } from './signing.js';

export const EVIDENCE_LIST_TITLE = '证据提取单';

export const EVIDENCE_KIND_LABELS: Readonly<Record<EvidenceItem['kind'], string>> = {
  photo: '照片',
  scan: '扫描件',
  video: '视频',
  audio: '录音',
  copy: '复印件',
  sample: '样品',
  other: '其他',
};

/** A hash split in two lines of 32 so it fits the column and can be read aloud in halves. */
export function hashCell(sha256: string | null): TableCell {
  if (!sha256) return { text: '—（实物或纸质）', style: 'small' };
  return { text: `${sha256.slice(0, 32)}\n${sha256.slice(32)}`, style: 'small', fontSize: 7 };
}

export function evidenceTable(items: readonly EvidenceItem[]): Content {
  const head: TableCell[] = ['序号', '证据名称及内容', '类别', '数量', '采集时间', 'SHA-256 校验值'].map((t) => ({
    text: t,
    style: 'cellLabel',
    alignment: 'center',
  }));
  const rows: TableCell[][] = items.map((e, i) => [
    { text: String(i + 1), style: 'cell', alignment: 'center' },
    { text: e.description, style: 'cell' },
    { text: EVIDENCE_KIND_LABELS[e.kind], style: 'cell', alignment: 'center' },
    { text: String(e.count), style: 'cell', alignment: 'center' },
    { text: formatDateTimeCn(e.capturedAt), style: 'small' },
    hashCell(e.sha256),
  ]);
  return {
    table: { headerRows: 1, dontBreakRows: true, widths: [22, '*', 32, 24, 62, 138], body: [head, ...rows] },
    layout: { paddingTop: () => 3, paddingBottom: () => 3, paddingLeft: () => 3, paddingRight: () => 3 },
    margin: [0, 0, 0, 6],
  };
}

export function buildEvidenceList(raw: EvidenceListInput): TDocumentDefinitions {
  const input = EvidenceListInputSchema.parse(raw);
  const content: Content[] = [
    ...heading(input, EVIDENCE_LIST_TITLE),
    fieldTable([
      [['当事人', input.party.name]],
      [
        ['统一社会信用代码', input.party.uscc],
        ['抽查任务编号', input.task.taskNo],
      ],
      [['提取时间', formatDateTimeCn(input.takenAt)]],
      [['提取地点', input.place]],
      [['执法人员', input.officers.map((o) => `${o.name}（执法证号：${o.certNo}）`).join('、')]],
    ]),
    evidenceTable(input.items),
    {
      stack: [
        paragraph(
          '以上证据系执法人员依法现场提取或拍摄、录制，电子文件的校验值由执法终端在采集时计算，' +
            '与本单所列一致即证明文件未被改动。当事人已核对上述证据。',
        ),
        ...partyRows('当事人', input.partySignature, input.issuedOn),
        ...officerRows('执法人员', input.inspectorSignatures, input.officers),
      ],
      unbreakable: true,
    },
    closingBlock(input),
  ];
  const first = input.partySignature.kind === 'signed' ? '当事人签名' : '见证人签名';
  return a4Document({
    meta: input,
    title: EVIDENCE_LIST_TITLE,
    content,
    footer: pageFooter({ signatureLabels: [first, '执法人员签名'], template: input.template }),
    signedFooter: true,
  });
}
