/**
 * 随机抽查检查通知书 (random-inspection notice, Zhejiang template): addressee,
 * legal basis and task number, the items, time and method, materials to prepare, the warning on
 * non-cooperation, contact, delivery, and a receipt line for the party.
 */
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { CHECK_METHOD_LABELS } from '../../../shared/domain/results.js';
import { formatDateCn } from './format.js';
import { a4Document, heading, keepWithClosing, numberedList, pageFooter, paragraph, section } from './layout.js';
import { NoticeInputSchema, type NoticeInput } from './types.js';

export const NOTICE_TITLE = '随机抽查检查通知书';

function body(input: NoticeInput): Content[] {
  const { task, party } = input;
  const inspectors = task.team.map((m) => `${m.name}（执法证号：${m.certNo}）`).join('、');
  return [
    { text: `${party.name}：`, style: 'body', margin: [0, 4, 0, 0] },
    { text: `（统一社会信用代码：${party.uscc}）`, style: 'body', margin: [0, 0, 0, 4] },
    paragraph(
      `根据《企业信息公示暂行条例》等法律法规规定和${task.plan.name}（计划编号：${task.plan.code}）的安排，` +
        `本局依法对你单位开展“双随机、一公开”抽查检查，抽查任务编号：${task.taskNo}。现将有关事项通知如下：`,
    ),
    section(1, '抽查检查事项'),
    numberedList(task.items.map((i) => `${i.name}（${i.departmentName}）`)),
    section(2, '检查时间和方法'),
    paragraph(`检查时间：${formatDateCn(input.inspectFrom)}至${formatDateCn(input.inspectTo)}。`),
    paragraph(`检查方式：${input.methods.map((m) => CHECK_METHOD_LABELS[m]).join('、')}。`),
    paragraph(`检查人员：${inspectors}。`),
    section(3, '需要准备的资料'),
    numberedList(input.materials),
    keepWithClosing(
      [
        paragraph(
          '请你单位按上述要求做好准备，配合检查并如实提供有关资料和情况。无正当理由拒绝、阻碍检查的，' +
            '本局将依法处理，并通过国家企业信用信息公示系统向社会公示。',
        ),
        {
          columns: [
            { text: `联系人：${input.contact.name}`, style: 'body' },
            { text: `联系电话：${input.contact.phone}`, style: 'body' },
            { text: `送达方式：${input.delivery}`, style: 'body' },
          ],
          margin: [0, 6, 0, 0],
        },
      ],
      input,
      true,
    ),
  ];
}

export function buildNotice(raw: NoticeInput): TDocumentDefinitions {
  const input = NoticeInputSchema.parse(raw);
  return a4Document({
    meta: input,
    title: NOTICE_TITLE,
    content: [...heading(input, NOTICE_TITLE), ...body(input)],
    footer: pageFooter({ signatureLabels: [] }),
  });
}
