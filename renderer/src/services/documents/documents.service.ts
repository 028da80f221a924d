/**
 * On-site documents as a service: availability and form defaults from IndexedDB, then
 * issue = validate → take a number from the reserved block (one transaction) → hash → lay out →
 * render → store the PDF with its hash. Works with no network. A number taken for a document that
 * then fails to render is voided with the reason, never silently reused.
 */
import { DOC_TYPE_LABELS, DOC_TYPES } from '../../../../shared/protocol/index.js';
import { docNumbersRepo, issuedDocEntry, sha256Hex, type IssuedDocRow } from '../../db/index.js';
import { buildDocument, verificationUrl, type DocumentInputs, type PdfRenderer } from '../../print/index.js';
import { LOW_WARNING_BELOW } from '../../sync/doc-numbers.js';
import type {
  AuthService,
  DocumentAvailability,
  DocumentKindName,
  DocumentRequest,
  DocumentsService,
  EnterpriseService,
  InspectionService,
  IssuedDocument,
  TaskService,
} from '../api.js';
import {
  hashText,
  noticeDefaults,
  noticeInput,
  recordDefaults,
  recordInput,
  rectificationDefaults,
  rectificationInput,
  type DocumentContext,
  type Numbering,
} from './documents.inputs.js';
import { blockedReason, ISSUABLE } from './documents.availability.js';
import { caseFileOperations } from './documents.case-file.js';
import {
  evidenceListDefaults,
  evidenceListInput,
  foodResultDefaults,
  foodResultInput,
  questioningDefaults,
  questioningInput,
  serviceProofDefaults,
  serviceProofInput,
} from './documents.case-inputs.js';
import {
  directiveDefaults,
  directiveInput,
  preservationDefaults,
  preservationInput,
} from './documents.order-inputs.js';
import { pdfFileName, printPdf, savePdf } from './documents.output.js';
import { formDraftOperations } from './documents.drafts.js';
import type { Runtime } from '../runtime.js';

export interface DocumentsDeps {
  readonly tasks: TaskService;
  readonly enterprises: EnterpriseService;
  readonly inspection: InspectionService;
  readonly auth: Pick<AuthService, 'current'>;
  /** Lazily: the app's renderer loads pdfmake and the fonts on first use. */
  readonly renderer: () => PdfRenderer;
}

type Input = DocumentInputs[DocumentKindName];

export function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'issues' in e && Array.isArray(e.issues)) {
    const first: unknown = e.issues[0];
    if (first && typeof first === 'object' && 'message' in first && typeof first.message === 'string')
      return first.message;
  }
  return e instanceof Error ? e.message : String(e);
}

function inputFor(ctx: DocumentContext, n: Numbering, req: DocumentRequest): Input {
  switch (req.kind) {
    case 'notice':
      return noticeInput(ctx, n, req.details);
    case 'record':
      return recordInput(ctx, n, req.details);
    case 'rectification':
      return rectificationInput(ctx, n, req.details);
    case 'questioning':
      return questioningInput(ctx, n, req.details);
    case 'evidence':
      return evidenceListInput(ctx, n, req.details);
    case 'service':
      return serviceProofInput(ctx, n, req.details);
    case 'foodResult':
      return foodResultInput(ctx, n, req.details);
    case 'directive':
      return directiveInput(ctx, n, req.details);
    case 'preservation':
      return preservationInput(ctx, n, req.details);
  }
}

function toIssued(row: IssuedDocRow, voidReason: string | null | undefined): IssuedDocument {
  return {
    docId: row.docId,
    kind: row.docType,
    title: DOC_TYPE_LABELS[row.docType],
    docNo: row.docNo,
    issuedAt: row.issuedAt,
    docHash: row.docHash,
    verifyUrl: row.verifyUrl,
    voided: voidReason !== undefined && voidReason !== null,
    voidReason: voidReason ?? null,
    bytes: row.bytes,
  };
}

async function dataUrl(blob: Blob, mime: string): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${mime};base64,${btoa(bin)}`;
}

/** The drawn signatures of a result (PNG/JPEG only: what pdfmake can embed). */
async function signatureImagesOf(inspection: InspectionService, resultId: string): Promise<Map<string, string>> {
  const files = (await inspection.evidenceFor(resultId)).filter(
    (f) => f.kind === 'signature' && /^image\/(png|jpeg)$/.test(f.mime),
  );
  return new Map(await Promise.all(files.map(async (f) => [f.id, await dataUrl(f.blob, f.mime)] as const)));
}

export function createDocumentsService(rt: Runtime, deps: DocumentsDeps): DocumentsService {
  const repo = docNumbersRepo(rt.dbs.field);
  const audit = rt.repos.audit;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of listeners) l();
  };
  rt.on('tasks', changed);

  async function context(taskId: string): Promise<DocumentContext> {
    const [task, session] = await Promise.all([deps.tasks.get(taskId), deps.auth.current()]);
    if (!task) throw new Error(`本机没有这个任务（${taskId}），请先同步`);
    if (!session) throw new Error('请先登录');
    const [enterprise, stored, reference, issuedRows, numbers] = await Promise.all([
      deps.enterprises.get(task.enterprise.uscc),
      deps.inspection.resultForTask(taskId),
      rt.repos.reference.get(),
      repo.issuedFor(taskId),
      repo.numbersFor(taskId),
    ]);
    const voided = new Set(numbers.filter((x) => x.state === 'voided').map((x) => `${x.docType}:${x.serial}`));
    const signatureImages = stored
      ? await signatureImagesOf(deps.inspection, stored.resultId)
      : new Map<string, string>();
    return {
      task,
      enterprise,
      templates: reference?.reference.documentTemplates ?? null,
      result: stored?.payload ?? null,
      resultHash: stored?.contentHash ?? null,
      issued: issuedRows.map((r) => ({
        docId: r.docId,
        kind: r.docType,
        title: DOC_TYPE_LABELS[r.docType],
        docNo: r.docNo,
        voided: voided.has(r.docId),
      })),
      inspector: session.inspector,
      platformUrl: session.platformUrl,
      now: rt.now(),
      signatureImages,
    };
  }

  /** Lays out and renders; a User Timing entry `documents.render` (detail: kind, bytes) lets benchmarks and DevTools see it. */
  async function render(kind: DocumentKindName, input: Input): Promise<Uint8Array> {
    const start = performance.now();
    const pdf = await deps.renderer().render(buildDocument(kind, input as never));
    performance.measure('documents.render', { start, end: performance.now(), detail: { kind, bytes: pdf.byteLength } });
    return pdf;
  }

  /** Form defaults from the task, the credit file, the result and the session. */
  const defaults: DocumentsService['defaults'] = async (taskId, kind) => {
    const ctx = await context(taskId);
    const byKind = {
      notice: noticeDefaults,
      record: recordDefaults,
      rectification: rectificationDefaults,
      questioning: questioningDefaults,
      evidence: evidenceListDefaults,
      service: serviceProofDefaults,
      foodResult: foodResultDefaults,
      directive: directiveDefaults,
      preservation: preservationDefaults,
    };
    return byKind[kind](ctx) as never;
  };

  async function issue(
    taskId: string,
    req: DocumentRequest,
  ): Promise<{ ok: true; document: IssuedDocument } | { ok: false; message: string }> {
    let ctx: DocumentContext;
    let resultId: string;
    try {
      ctx = await context(taskId);
      const blocked = blockedReason(req.kind, ctx);
      if (blocked) return { ok: false, message: blocked };
      resultId = ctx.result?.resultId ?? (await deps.inspection.openDraft(taskId)).resultId;
      // Validate with a placeholder number first: bad form data must not consume a number.
      buildDocument(req.kind, inputFor(ctx, { docNo: '（待编号）', resultId }, req) as never);
    } catch (e) {
      return { ok: false, message: errorText(e) };
    }
    let taken;
    try {
      taken = await repo.take({ docType: req.kind, taskId, resultId, at: rt.now().toISOString() });
    } catch (e) {
      return { ok: false, message: errorText(e) };
    }
    try {
      const draftInput = inputFor(ctx, { docNo: taken.docNo, resultId }, req);
      const docHash = await sha256Hex(hashText(req.kind, draftInput));
      const input = { ...draftInput, verification: { ...draftInput.verification, contentHash: docHash } };
      const pdf = await render(req.kind, input);
      const row: IssuedDocRow = {
        docId: `${req.kind}:${taken.serial}`,
        docType: req.kind,
        serial: taken.serial,
        docNo: taken.docNo,
        taskId,
        resultId,
        docHash,
        verifyUrl: verificationUrl(input.verification),
        issuedAt: rt.now().toISOString(),
        pdf,
        bytes: pdf.byteLength,
        input: JSON.stringify(input),
      };
      await repo.saveIssued(row);
      changed();
      return { ok: true, document: toIssued(row, null) };
    } catch (e) {
      const message = errorText(e);
      await repo
        .void(req.kind, taken.serial, `文书生成失败：${message}`.slice(0, 200), rt.now().toISOString())
        .catch(() => undefined);
      changed();
      return { ok: false, message: `文书生成失败（编号 ${taken.docNo} 已作废）：${message}` };
    }
  }

  return {
    async warmUp() {
      const start = performance.now();
      await deps.renderer().warmUp();
      performance.measure('documents.warmup', { start, end: performance.now(), detail: deps.renderer().stats() });
    },
    async stock() {
      const left = await repo.remaining();
      return DOC_TYPES.map((kind) => ({
        kind,
        title: DOC_TYPE_LABELS[kind],
        remaining: left[kind],
        low: left[kind] < LOW_WARNING_BELOW,
      }));
    },
    async available(taskId) {
      const ctx = await context(taskId);
      return ISSUABLE.map((kind): DocumentAvailability => ({
        kind,
        title: DOC_TYPE_LABELS[kind],
        blockedReason: blockedReason(kind, ctx),
      }));
    },
    defaults,
    ...formDraftOperations({ field: rt.dbs.field, now: rt.now, defaults }),
    issue,
    async list(taskId) {
      const [rows, numbers] = await Promise.all([repo.issuedFor(taskId), repo.numbersFor(taskId)]);
      const reasons = new Map(
        numbers.map((n) => [`${n.docType}:${n.serial}`, n.state === 'voided' ? n.voidReason : null]),
      );
      return rows.map((r) => toIssued(r, reasons.get(r.docId)));
    },
    async pdf(docId) {
      return (await repo.issued(docId))?.pdf ?? null;
    },
    async void(docId, reason) {
      const row = await repo.issued(docId);
      if (!row) throw new Error(`找不到文书：${docId}`);
      await repo.void(row.docType, row.serial, reason, rt.now().toISOString());
      changed();
    },
    async print(docId) {
      const row = await repo.issued(docId);
      if (!row) return { ok: false, message: '本机找不到该文书的 PDF' };
      const printed = await printPdf(row.pdf, `${DOC_TYPE_LABELS[row.docType]} ${row.docNo}`);
      // Printing writes nothing else locally; the entry is appended once the print was handed over.
      if (printed.ok && printed.done)
        await audit.append(issuedDocEntry('document.printed', row, rt.now().toISOString()));
      return printed;
    },
    async save(docId) {
      const row = await repo.issued(docId);
      if (!row) return { ok: false, message: '本机找不到该文书的 PDF' };
      return savePdf(row.pdf, pdfFileName(DOC_TYPE_LABELS[row.docType], row.docNo));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ...caseFileOperations({ context, renderer: deps.renderer, repo, audit, now: rt.now }),
  };
}
