/**
 * The task's case file (案卷): every document issued for it, laid out again from the input it was
 * printed with (same number, same hash, same QR), behind a cover, the evidence index and the
 * signatures of the result. Assembly is pure; the operations at the end render it (a User Timing
 * entry `documents.caseFile` lets the benchmark see it), print it (on the audit chain) and save it.
 */
import { toHex } from '../../../../shared/domain/canonical.js';
import { chinaDate } from '../../../../shared/domain/dates.js';
import { DOC_TYPE_LABELS } from '../../../../shared/protocol/index.js';
import { type AuditRepo, type DocNumbersRepo, type IssuedDocRow } from '../../db/index.js';
import {
  buildCaseFile,
  buildDocument,
  type PdfRenderer,
  signatureLabelsOf,
  type CaseFileInput,
  type CaseFilePart,
  type DocumentInputs,
  type DocumentKind,
} from '../../print/index.js';
import type { CaseFileOutcome, OutputOutcome } from '../api.js';
import { partyOf, type DocumentContext } from './documents.inputs.js';
import { evidenceDescription } from './documents.media.js';
import { pdfFileName, printPdf, savePdf } from './documents.output.js';

function part<K extends DocumentKind>(kind: K, input: DocumentInputs[K], row: IssuedDocRow, voided: boolean) {
  return {
    title: DOC_TYPE_LABELS[kind],
    docNo: row.docNo,
    voided,
    definition: buildDocument(kind, input),
    signatureLabels: signatureLabelsOf(kind, input),
  };
}

/** A page standing in for a document issued before its layout input was kept: only its PDF exists. */
function placeholder(row: IssuedDocRow, voided: boolean): CaseFilePart {
  const title = DOC_TYPE_LABELS[row.docType];
  return {
    title,
    docNo: row.docNo,
    voided,
    signatureLabels: [],
    definition: {
      content: [
        { text: `${title} ${row.docNo}`, style: 'section' },
        {
          text: '该文书由早期版本出具，本机只保存了其 PDF，无法编入本案卷版面。请将已打印的原件附于此页之后。',
          style: 'body',
        },
        { text: `文书校验值（SHA-256）：${row.docHash}`, style: 'small' },
      ],
    },
  };
}

/** The parts in the order issued; a voided document stays in the file, marked as voided. */
export function caseFileParts(rows: readonly IssuedDocRow[], voided: ReadonlySet<string>): CaseFilePart[] {
  return rows.map((row) => {
    const isVoided = voided.has(row.docId);
    if (row.input === undefined) return placeholder(row, isVoided);
    return part(row.docType, JSON.parse(row.input) as DocumentInputs[typeof row.docType], row, isVoided);
  });
}

const SIGNATURE_ROLES = { inspector: '检查人员', party: '当事人' } as const;

export function caseFileInput(ctx: DocumentContext): CaseFileInput {
  const r = ctx.result;
  return {
    authority: { name: ctx.inspector.unit, address: '', phone: '' },
    issuedOn: chinaDate(ctx.now),
    task: ctx.task,
    party: partyOf(ctx),
    result: r,
    verification:
      r && ctx.resultHash ? { platformUrl: ctx.platformUrl, resultId: r.resultId, contentHash: ctx.resultHash } : null,
    evidence: (r?.evidence ?? []).map((e) => ({
      id: e.id,
      kind: e.kind,
      description: evidenceDescription(e),
      capturedAt: e.capturedAt,
      sha256: e.sha256,
      count: 1,
    })),
    signatures: (r?.signatures ?? []).map((s) => ({
      role: s.refused ? '见证人' : SIGNATURE_ROLES[s.role],
      name: s.refused && s.witness ? s.witness.name : s.name || '—',
      detail: s.refused
        ? `当事人拒绝签名：${s.refusalNote ?? ''}`
        : [s.certNo ? `执法证号：${s.certNo}` : '', s.post ?? ''].filter(Boolean).join(' '),
      signedAt: s.signedAt,
      sha256: s.sha256,
    })),
  };
}

export interface CaseFileDeps {
  readonly context: (taskId: string) => Promise<DocumentContext>;
  readonly renderer: () => PdfRenderer;
  readonly repo: DocNumbersRepo;
  readonly audit: AuditRepo;
  readonly now: () => Date;
}

const CASE_FILE_LABEL = '案卷';

export function caseFileOperations(deps: CaseFileDeps) {
  async function render(taskId: string): Promise<CaseFileOutcome> {
    try {
      const start = performance.now();
      const ctx = await deps.context(taskId);
      const [rows, numbers] = await Promise.all([deps.repo.issuedFor(taskId), deps.repo.numbersFor(taskId)]);
      if (rows.length === 0) return { ok: false, message: '该任务还没有出具文书，无法组卷' };
      const voided = new Set(numbers.filter((n) => n.state === 'voided').map((n) => `${n.docType}:${n.serial}`));
      const parts = caseFileParts(rows, voided);
      const pdf = await deps.renderer().render(buildCaseFile(caseFileInput(ctx), parts));
      performance.measure('documents.caseFile', {
        start,
        end: performance.now(),
        detail: { documents: parts.length, evidence: ctx.result?.evidence?.length ?? 0, bytes: pdf.byteLength },
      });
      return { ok: true, pdf, documents: parts.length, fileName: pdfFileName(CASE_FILE_LABEL, ctx.task.taskNo) };
    } catch (e) {
      return { ok: false, message: `案卷生成失败：${e instanceof Error ? e.message : String(e)}` };
    }
  }

  return {
    caseFile: render,
    async printCaseFile(taskId: string): Promise<OutputOutcome> {
      const made = await render(taskId);
      if (!made.ok) return made;
      const printed = await printPdf(made.pdf, made.fileName);
      // Like a document, the case file goes on the audit chain once the print was handed over.
      if (printed.ok && printed.done) {
        const ctx = await deps.context(taskId);
        await deps.audit.append({
          at: deps.now().toISOString(),
          kind: 'document.printed',
          subjectId: `caseFile:${taskId}`,
          detail: {
            taskId,
            resultId: ctx.result?.resultId ?? '',
            docType: 'caseFile',
            docNo: ctx.task.taskNo,
            docHash: toHex(await crypto.subtle.digest('SHA-256', new Uint8Array(made.pdf))),
          },
        });
      }
      return printed;
    },
    async saveCaseFile(taskId: string): Promise<OutputOutcome> {
      const made = await render(taskId);
      if (!made.ok) return made;
      return savePdf(made.pdf, made.fileName);
    },
  };
}
