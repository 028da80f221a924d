/**
 * 特种设备安全监察指令书 (special-equipment inspection order): the problems found, the equipment
 * concerned, the measures ordered and the deadline, whether the equipment must stop, how the
 * correction is reported (the authority re-inspects within 10 working days of the report), the
 * remedies, and the unit's acknowledgement.
 */
import type { Content, TDocumentDefinitions, TableCell } from 'pdfmake/interfaces';
import { DirectiveInputSchema, type DirectiveInput } from './case.types.js';
import { formatDateCn } from './format.js';
import { a4Document, closingBlock, heading, numberedList, pageFooter, paragraph, section } from './layout.js';
import { partyRows, signatureRow } from './signing.js';
import { signatureMark } from './layout.js';

export const DIRECTIVE_TITLE = '特种设备安全监察指令书';

function equipmentTable(list: DirectiveInput['equipment']): Content {
  if (list.length === 0) return paragraph('（不涉及具体设备）');
  const head: TableCell[] = ['序号', '设备名称', '使用登记证编号／注册代码', '使用地点'].map((t) => ({
    text: t,
    style: 'cellLabel',
    alignment: 'center',
  }));
  const rows: TableCell[][] = list.map((e, i) => [
    { text: String(i + 1), style: 'cell', alignment: 'center' },
    { text: e.name, style: 'cell' },
    { text: e.regCode || '—', style: 'cell' },
    { text: e.location || '—', style: 'cell' },
  ]);
  return {
    table: { headerRows: 1, dontBreakRows: true, widths: [26, '*', 130, 120], body: [head, ...rows] },
    layout: { paddingTop: () => 3, paddingBottom: () => 3, paddingLeft: () => 4, paddingRight: () => 4 },
    margin: [0, 0, 0, 6],
  };
}

export function buildDirective(raw: DirectiveInput): TDocumentDefinitions {
  const input = DirectiveInputSchema.parse(raw);
  if (input.deadline < input.issuedOn) throw new Error('整改期限不得早于出具日期');
  const content: Content[] = [
    ...heading(input, DIRECTIVE_TITLE),
    { text: `${input.party.name}：`, style: 'body', margin: [0, 4, 0, 0] },
    paragraph(
      `本局执法人员${input.officers.map((o) => `${o.name}（执法证号：${o.certNo}）`).join('、')}` +
        `于${formatDateCn(input.result.inspectedOn)}对你单位特种设备使用情况进行了监督检查（抽查任务编号：${input.task.taskNo}），发现下列问题：`,
    ),
    section(1, '发现的问题'),
    numberedList(input.problems),
    section(2, '涉及的设备'),
    equipmentTable(input.equipment),
    section(3, '指令事项'),
    paragraph('根据《中华人民共和国特种设备安全法》第五十七条、第六十一条的规定，现责令你单位：'),
    numberedList(input.measures),
    paragraph(`请于${formatDateCn(input.deadline)}前完成整改。`),
  ];
  if (input.stopUse) content.push(paragraph('上述设备在隐患消除、经检验合格前不得继续使用。', true));
  content.push(
    paragraph(
      '整改完成后，请将整改情况书面报告本局（附整改报告及相关证明材料）。本局将在收到整改报告后10个工作日内进行复查。' +
        '逾期未整改或者整改不合格的，本局将依法处理。',
    ),
    paragraph(input.remedies || '—'),
    {
      stack: [
        ...partyRows('使用单位负责人', input.partySignature, input.issuedOn),
        ...input.officers.map((o, i) =>
          signatureRow(i === 0 ? '监察人员（签名）' : '', signatureMark(null), `${o.name}（执法证号：${o.certNo}）`),
        ),
      ],
      unbreakable: true,
      margin: [0, 6, 0, 0],
    },
    closingBlock(input),
  );
  return a4Document({
    meta: input,
    title: DIRECTIVE_TITLE,
    content,
    footer: pageFooter({ signatureLabels: [], template: input.template }),
  });
}
