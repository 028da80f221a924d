/**
 * 询问笔录 (questioning record): time and place, the officers with their 执法证号, the person
 * questioned (name, sex, age, ID, post), the rights notice and the person's answer, the recusal
 * question, then the questions and answers as typed on site, the person's own confirmation and the
 * signatures. The person questioned and both officers sign every page, so each page's foot
 * carries their signature lines and '第 X 页 共 Y 页'.
 */
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { QuestioningInputSchema, type QuestioningInput } from './case.types.js';
import { formatTimeRangeCn } from './format.js';
import { a4Document, closingBlock, fieldTable, heading, pageFooter, paragraph, signatureMark } from './layout.js';
import { officerRows, partyRows, signatureRow } from './signing.js';

export const QUESTIONING_TITLE = '询问笔录';

function headerTable(input: QuestioningInput): Content {
  const { person } = input;
  return fieldTable([
    [['询问时间', formatTimeRangeCn(input.startedAt, input.finishedAt)]],
    [['询问地点', input.place]],
    [['询问人', input.officers.map((o) => `${o.name}（执法证号：${o.certNo}）`).join('、')]],
    [
      ['记录人', input.recorder],
      ['抽查任务编号', input.task.taskNo],
    ],
    [
      ['被询问人', person.name],
      ['性别／年龄', `${person.sex}／${person.age}岁`],
    ],
    [
      ['身份证件号码', person.idNo],
      ['联系电话', person.phone || '—'],
    ],
    [['工作单位及职务', person.post]],
    [['住址', person.address || '—']],
    [['当事人', `${input.party.name}（统一社会信用代码：${input.party.uscc}）`]],
  ]);
}

/** A question or an answer: the 问／答 mark stays in its own column so long answers wrap under the text. */
function exchange(mark: '问' | '答', text: string): Content {
  return {
    columns: [
      { text: `${mark}：`, style: 'body', bold: mark === '问', width: 28 },
      { text, style: 'body', width: '*' },
    ],
    margin: [0, 0, 0, 3],
  };
}

function opening(input: QuestioningInput): Content[] {
  const names = input.officers.map((o) => o.name).join('、');
  return [
    exchange(
      '问',
      `我们是${input.authority.name}的执法人员${names}，这是我们的执法证件（出示执法证件）。` +
        `现依法就${input.party.name}的有关情况向你进行询问调查。你有陈述、申辩的权利，` +
        '有如实回答询问、协助调查的义务，对与本案无关的问题有拒绝回答的权利；' +
        '故意提供虚假情况的，应当承担相应的法律责任。你听清楚了吗？',
    ),
    exchange('答', input.rightsAnswer),
    exchange('问', '执法人员与你或者本案有无利害关系？你是否申请执法人员回避？'),
    exchange('答', `${input.recusal.answer}${input.recusal.requested ? '（申请回避）' : ''}`),
  ];
}

function signatures(input: QuestioningInput): Content {
  const rows: Content[] = [];
  if (input.personSignature.kind === 'signed') rows.push(paragraph(`被询问人核对意见：${input.confirmation}`, false));
  rows.push(...partyRows('被询问人', input.personSignature, input.issuedOn));
  rows.push(...officerRows('询问人', input.inspectorSignatures, input.officers));
  const recorderSig = input.inspectorSignatures.find((s) => s.name === input.recorder) ?? null;
  rows.push(signatureRow('记录人（签名）', signatureMark(recorderSig), input.recorder));
  return { stack: rows, unbreakable: true, margin: [0, 8, 0, 0] };
}

/** The labels of the lines at the foot of every page: the person (or the witness) and each officer. */
export function questioningSignatureLabels(input: QuestioningInput): string[] {
  const first = input.personSignature.kind === 'signed' ? '被询问人签名' : '见证人签名';
  return [first, ...input.inspectorSignatures.map(() => '询问人签名')];
}

export function buildQuestioning(raw: QuestioningInput): TDocumentDefinitions {
  const input = QuestioningInputSchema.parse(raw);
  if (Date.parse(input.finishedAt) < Date.parse(input.startedAt)) throw new Error('询问结束时间早于开始时间');
  const content: Content[] = [
    ...heading(input, QUESTIONING_TITLE),
    headerTable(input),
    ...opening(input),
    ...input.qa.flatMap((x) => [exchange('问', x.q), exchange('答', x.a)]),
    signatures(input),
    closingBlock(input),
  ];
  return a4Document({
    meta: input,
    title: QUESTIONING_TITLE,
    content,
    footer: pageFooter({ signatureLabels: questioningSignatureLabels(input), template: input.template }),
    signedFooter: true,
  });
}
