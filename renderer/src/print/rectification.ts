/**
 * 责令改正通知书 (rectification order): facts found, legal basis, the required
 * correction per finding, the deadline, how to report back, remedies, and a receipt line.
 * Built only when the result has at least one finding handled as 责令限期改正.
 */
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import { findingsToRectify, legalBases, type RectifyFinding } from './facts.js';
import { formatDateCn } from './format.js';
import { a4Document, heading, keepWithClosing, numberedList, pageFooter, paragraph, section } from './layout.js';
import { RectificationInputSchema, type RectificationInput } from './types.js';

export const RECTIFICATION_TITLE = '责令改正通知书';

/** '其中第2项应于2026年3月27日前改正。' for findings whose own deadline differs from the overall one. */
function ownDeadlines(findings: readonly RectifyFinding[], deadline: string): string {
  const parts = findings.flatMap((f, i) => {
    const own = f.finding.rectifyDeadline;
    return own && own !== deadline ? [`第${i + 1}项应于${formatDateCn(own)}前改正`] : [];
  });
  return parts.length > 0 ? `其中${parts.join('，')}。` : '';
}

function body(input: RectificationInput, findings: readonly RectifyFinding[]): Content[] {
  const { party, task, result } = input;
  const bases = legalBases(findings);
  const basisText =
    bases.length > 0 ? `上述行为违反了${bases.join('、')}的规定。` : '上述行为违反了有关法律、法规的规定。';
  return [
    { text: `${party.name}：`, style: 'body', margin: [0, 4, 0, 0] },
    { text: `（统一社会信用代码：${party.uscc}；住所：${party.address}）`, style: 'body', margin: [0, 0, 0, 4] },
    paragraph(
      `${formatDateCn(result.inspectedOn)}，本局执法人员依法对你单位进行了抽查检查（抽查任务编号：${task.taskNo}），` +
        '发现你单位存在下列问题：',
    ),
    section(1, '违法事实'),
    numberedList(findings.map((f) => `${f.item.name}：${f.finding.description}`)),
    section(2, '法律依据'),
    paragraph(basisText),
    section(3, '责令改正要求'),
    paragraph(
      `依据《中华人民共和国行政处罚法》第二十八条第一款的规定，现责令你单位于${formatDateCn(input.deadline)}前` +
        `改正上述${findings.length > 1 ? `第1项至第${findings.length}项` : ''}问题。${ownDeadlines(findings, input.deadline)}`,
    ),
    section(4, '整改情况报告'),
    paragraph(input.reportBack),
    keepWithClosing(
      [
        paragraph('逾期不改正的，本局将依法处理。'),
        ...(input.remedies.trim() ? [paragraph(input.remedies.trim())] : []),
      ],
      input,
      true,
    ),
  ];
}

export function buildRectification(raw: RectificationInput): TDocumentDefinitions {
  const input = RectificationInputSchema.parse(raw);
  const findings = findingsToRectify(input.task, input.result);
  if (findings.length === 0) throw new Error('检查结果中没有需要责令限期改正的问题，无法生成责令改正通知书');
  return a4Document({
    meta: input,
    title: RECTIFICATION_TITLE,
    content: [...heading(input, RECTIFICATION_TITLE), ...body(input, findings)],
    footer: pageFooter({ signatureLabels: [] }),
  });
}
