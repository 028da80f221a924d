/**
 * 监督检查结果记录表 (food inspection result record, to post on the premises): the business and
 * its licence, when and by whom, how many key and general items were checked and how many had
 * problems, the result 符合 / 基本符合 / 不符合, and what follows. Large type: it hangs on a wall.
 */
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { FoodResultInputSchema, type FoodResultInput } from './case.types.js';
import { checkbox, formatDateCn } from './format.js';
import { a4Document, closingBlock, fieldTable, heading, pageFooter, paragraph } from './layout.js';

export const FOOD_RESULT_TITLE = '监督检查结果记录表';

export const FOOD_OUTCOME_LABELS: Readonly<Record<FoodResultInput['outcome'], string>> = {
  compliant: '符合',
  basic: '基本符合',
  noncompliant: '不符合',
};

/** The result must follow from the counts: no problem is 符合; a key-item problem is 不符合. */
function checkOutcome(input: FoodResultInput): void {
  if (input.keyProblems > input.keyChecked || input.generalProblems > input.generalChecked)
    throw new Error('发现问题的项数不能多于检查的项数');
  const problems = input.keyProblems + input.generalProblems;
  if (input.outcome === 'compliant' && problems > 0) throw new Error('发现问题时检查结果不能为“符合”');
  if (input.outcome !== 'compliant' && problems === 0) throw new Error('未发现问题时检查结果应为“符合”');
  if (input.outcome === 'basic' && input.keyProblems > 0) throw new Error('重点项存在问题时检查结果应为“不符合”');
}

export function buildFoodResult(raw: FoodResultInput): TDocumentDefinitions {
  const input = FoodResultInputSchema.parse(raw);
  checkOutcome(input);
  const outcomes = (Object.keys(FOOD_OUTCOME_LABELS) as FoodResultInput['outcome'][])
    .map((k) => `${checkbox(k === input.outcome)} ${FOOD_OUTCOME_LABELS[k]}`)
    .join('      ');
  const content: Content[] = [
    ...heading(input, FOOD_RESULT_TITLE),
    fieldTable([
      [['被检查单位', input.party.name]],
      [['地址', input.party.address]],
      [
        ['许可证编号', input.licenceNo || '—'],
        ['法定代表人', input.party.legalRep || '—'],
      ],
      [['统一社会信用代码', input.party.uscc]],
      [
        ['检查日期', formatDateCn(input.inspectedOn)],
        ['抽查任务编号', input.task.taskNo],
      ],
      [['检查人员', input.officers.map((o) => `${o.name}（执法证号：${o.certNo}）`).join('、')]],
    ]),
    paragraph(
      `检查内容：本次监督检查共检查重点项${input.keyChecked}项，发现问题${input.keyProblems}项；` +
        `一般项${input.generalChecked}项，发现问题${input.generalProblems}项。`,
    ),
    { text: '检查结果', style: 'section', alignment: 'center', margin: [0, 10, 0, 4] },
    { text: outcomes, fontSize: 20, bold: true, alignment: 'center', margin: [0, 0, 0, 10] },
    paragraph(`结果处理：${input.handling}`),
    paragraph('本表由被检查单位张贴或者悬挂在经营场所醒目位置，保持至下次监督检查，不得涂改、遮挡。'),
    closingBlock(input),
  ];
  return a4Document({
    meta: input,
    title: FOOD_RESULT_TITLE,
    content,
    footer: pageFooter({ signatureLabels: [], template: input.template }),
  });
}
