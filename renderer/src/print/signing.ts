/**
 * Signature rows shared by the case documents: a label, the captured mark (or a line for a pen)
 * and the name with its detail; the party's signature or its refusal with the witness.
 */
import type { Content } from 'pdfmake/interfaces';
import { formatDateCn } from './format.js';
import { paragraph, signatureMark } from './layout.js';
import type { PartySignature, Signature } from './types.js';

export function signatureRow(label: string, mark: Content, extra: string, labelWidth = 110): Content {
  return {
    columns: [
      { text: label ? `${label}：` : '', style: 'body', width: labelWidth },
      { stack: [mark], width: 130 },
      { text: extra, style: 'body', width: '*', margin: [8, 0, 0, 0] },
    ],
    margin: [0, 4, 0, 0],
  };
}

/** The party (or its refusal, noted, and the witness who signs instead). */
export function partyRows(role: string, ps: PartySignature, on: string): Content[] {
  if (ps.kind === 'signed')
    return [
      signatureRow(`${role}（签名）`, signatureMark(ps.signature), `${ps.signature.name}    ${formatDateCn(on)}`),
    ];
  return [
    paragraph(`${role}拒绝签名。拒签情况：${ps.note}`, false),
    signatureRow(
      '见证人（签名）',
      signatureMark(ps.witness.signature),
      `${ps.witness.name}\n身份证件号码：${ps.witness.idNo}`,
    ),
  ];
}

/** The officers, each with the 执法证号 when the list knows it. */
export function officerRows(
  role: string,
  sigs: readonly Signature[],
  officers: readonly { name: string; certNo: string }[],
): Content[] {
  return sigs.map((sig, i) => {
    const certNo = officers.find((o) => o.name === sig.name)?.certNo;
    return signatureRow(
      i === 0 ? `${role}（签名）` : '',
      signatureMark(sig),
      certNo ? `${sig.name}（执法证号：${certNo}）` : sig.name,
    );
  });
}

/** Blank lines for the officers to sign with a pen (documents the terminal never holds drawn signatures for). */
export function penSignatures(officers: readonly { name: string }[]): Signature[] {
  return officers.map((o) => ({ name: o.name, imageDataUrl: null, signedAt: null }));
}
