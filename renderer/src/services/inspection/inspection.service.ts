/**
 * Drafts, evidence and finalize. openDraft builds the form from the task's items (and signature
 * slots for the team and the party); saveDraft resolves after the strict transaction commits;
 * finalize validates (items, findings, lenient decisions, signatures, team), builds and
 * schema-checks the ResultPayload — with every attachment's SHA-256 — hashes canonicalJson(payload)
 * with WebCrypto (outside any transaction), and writes result, outbox op and audit entry in one
 * transaction. A correction is a new draft with a new resultId that `replaces` the finalized one.
 */
import { canonicalJson } from '../../../../shared/domain/canonical.js';
import { buildFollowUpTask } from '../../../../shared/domain/follow-up-task.js';
import { chinaDate, publicationDeadline, DEFAULT_PUBLICATION_WORKING_DAYS } from '../../../../shared/domain/dates.js';
import type { LenientHistory } from '../../../../shared/domain/lenient.js';
import { ResultPayloadSchema, type Task } from '../../../../shared/protocol/index.js';
import { AuditHeadMovedError, MAX_REMOVAL_REASON, sha256Hex, type DraftRow, type ResultRow } from '../../db/index.js';
import type {
  CaptureLocation,
  Draft,
  DraftJournal,
  FinalizeProblem,
  InspectionService,
  StoredResult,
} from './inspection.api.js';
import {
  clearJournal,
  flushJournal,
  localStorageLegacy,
  readJournal,
  writeJournal,
  type JournalTarget,
} from './draft-journal.js';
import { validateDraft } from './finalize-validation.js';
import { annotateEvidence } from './evidence-annotate.js';
import { captureEvidence, toEvidenceFile } from './inspection-evidence.js';
import { mediaMethods } from './inspection-media.js';
import { buildPayload, signatureSlots, toDraft, withSlots } from './inspection-payload.js';
import type { Runtime } from '../runtime.js';

export { toDraft } from './inspection-payload.js';

export function toStoredResult(row: ResultRow): StoredResult {
  return {
    resultId: row.resultId,
    taskId: row.taskId,
    payload: row.payload,
    contentHash: row.contentHash,
    finalizedAt: row.finalizedAt,
    receipt: row.receipt,
  };
}

export function newDraftRow(task: Task, now: Date): DraftRow {
  const at = now.toISOString();
  return {
    taskId: task.id,
    resultId: `r-${crypto.randomUUID()}`,
    startedAt: at,
    inspectedOn: chinaDate(now),
    items: task.items.map((i) => ({ itemCode: i.code, outcome: 'unchecked', note: '', finding: null })),
    findings: '',
    resultCodes: [],
    checkMethods: [],
    followUps: [],
    replaces: null,
    updatedAt: at,
    frozen: false,
    captions: {},
    signatures: signatureSlots(task),
    templates: [],
    usccNote: '',
  };
}

type FinalizeOutcome = { ok: true; result: StoredResult } | { ok: false; problems: readonly FinalizeProblem[] };

export function createInspectionService(rt: Runtime, hooks: { beforeCommit?: () => void } = {}): InspectionService {
  const { drafts, tasks, results, audit, attachments: files, reference, enterprises } = rt.repos;
  const journalTarget: JournalTarget = { repo: rt.repos.journal, legacy: localStorageLegacy() };
  const journal: DraftJournal = {
    write: (draft, now) => writeJournal(draft, now, journalTarget),
    clear: (resultId) => clearJournal(resultId, journalTarget),
    read: (draft) => readJournal(draft, journalTarget),
    flush: () => flushJournal(journalTarget),
  };

  /**
   * Where and by which clock a photo or scan was taken: the device's fix when there is one, else
   * the registered address (the enterprise's credit file, else the task's copy), marked as such.
   */
  async function evidenceWhere(taskId: string, location: CaptureLocation | undefined) {
    const clockSkewMs = rt.tokens.skewMs();
    if (location?.fix) return { clockSkewMs, place: { source: 'geolocation', ...location.fix } as const };
    const record = await tasks.get(taskId);
    const ent = record ? await enterprises.get(record.task.enterprise.uscc) : null;
    const address = ent?.address ?? record?.task.enterprise.address ?? '';
    const reason = location?.reason ?? 'unavailable';
    return { clockSkewMs, place: { source: 'registered-address', address, reason } as const };
  }

  async function context(task: Task) {
    const [ref, ent] = await Promise.all([reference.get(), enterprises.get(task.enterprise.uscc)]);
    const history: LenientHistory = { penalties: ent?.penalties ?? [], spotChecks: ent?.spotChecks ?? [] };
    return { reference: ref?.reference ?? null, history };
  }

  async function finalize(taskId: string): Promise<FinalizeOutcome> {
    const [row, record] = await Promise.all([drafts.get(taskId), tasks.get(taskId)]);
    if (!record) return { ok: false, problems: [{ path: '', message: '找不到该任务，请先同步' }] };
    if (!row) return { ok: false, problems: [{ path: '', message: '尚未开始检查，没有可定稿的记录' }] };
    if (row.frozen) return { ok: false, problems: [{ path: '', message: '该检查记录已定稿，不能重复定稿' }] };
    const draft = toDraft(row);
    const [{ reference: ref, history }, stored] = await Promise.all([
      context(record.task),
      files.forResult(draft.resultId),
    ]);
    const signatureFiles = new Set(stored.filter((f) => f.kind === 'signature').map((f) => f.id));
    const problems = validateDraft(draft, record.task, { reference: ref, history, signatureFiles });
    if (problems.length > 0) return { ok: false, problems };
    const finishedAt = rt.now().toISOString();
    const deadline = publicationDeadline(
      draft.inspectedOn,
      ref?.calendar ?? { holidays: [], workdays: [] },
      ref?.publicationWorkingDays ?? DEFAULT_PUBLICATION_WORKING_DAYS,
    );
    const used = new Set([
      ...draft.signatures.map((s) => s.attachmentId),
      ...stored.filter((f) => f.kind !== 'signature').map((f) => f.id),
    ]);
    const parsed = ResultPayloadSchema.safeParse(
      buildPayload({
        draft,
        task: record.task,
        reference: ref,
        history,
        files: stored.filter((f) => used.has(f.id)),
        finishedAt,
        deadline,
      }),
    );
    if (!parsed.success)
      return { ok: false, problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
    const payload = parsed.data;
    const contentHash = await sha256Hex(canonicalJson(payload));
    const followUpTask = buildFollowUpTask(record.task, payload, ref?.calendar ?? { holidays: [], workdays: [] });
    for (let attempt = 0; ; attempt += 1) {
      const entry = await audit.prepare({
        at: finishedAt,
        kind: 'result.finalized',
        subjectId: payload.resultId,
        detail: { taskId, contentHash, replaces: payload.replaces },
      });
      // Signed before the transaction (WebCrypto must not be awaited inside one); the transaction
      // checks that the audit head and device sequence it signed are still the next ones.
      const checkpoint = await rt.deviceKey.signNext({
        resultId: payload.resultId,
        contentHash,
        count: entry.seq,
        headHash: entry.hash,
      });
      try {
        const result = await results.finalize({
          result: {
            resultId: payload.resultId,
            taskId,
            taskVersion: record.task.version,
            payload,
            contentHash,
            finalizedAt: finishedAt,
          },
          op: {
            opId: `op-${crypto.randomUUID()}`,
            enterpriseName: record.task.enterprise.name,
            publicationDeadline: payload.publicationDeadline,
          },
          audit: entry,
          ...(followUpTask ? { followUpTask } : {}),
          checkpoint,
          ...(hooks.beforeCommit ? { beforeCommit: hooks.beforeCommit } : {}),
        });
        rt.emit('tasks');
        rt.emit('outbox');
        return { ok: true, result: toStoredResult(result) };
      } catch (e) {
        if (!(e instanceof AuditHeadMovedError) || attempt >= 5) throw e;
      }
    }
  }

  async function openDraft(taskId: string): Promise<Draft> {
    const record = await tasks.get(taskId);
    const existing = await drafts.get(taskId);
    if (existing) {
      const draft = toDraft(existing);
      return record && !existing.frozen ? { ...draft, signatures: withSlots(draft.signatures, record.task) } : draft;
    }
    if (!record) throw new Error(`找不到任务 ${taskId}，请先同步`);
    const created = await drafts.createIfAbsent(newDraftRow(record.task, rt.now()));
    rt.emit('tasks');
    return toDraft(created);
  }

  return {
    openDraft,
    async saveDraft(draft) {
      const savedAt = rt.now().toISOString();
      await drafts.save({ ...draft, updatedAt: savedAt, frozen: false });
      return { savedAt };
    },
    finalize,
    async resultForTask(taskId) {
      const row = await results.forTask(taskId);
      return row ? toStoredResult(row) : null;
    },
    async resultsForTask(taskId) {
      return (await results.allForTask(taskId)).map(toStoredResult);
    },
    async addEvidence(taskId, file, kind, fileName, location) {
      const row = await drafts.get(taskId);
      if (!row) throw new Error('请先开始检查，再添加附件');
      const where = kind === 'signature' ? {} : await evidenceWhere(taskId, location);
      return captureEvidence(files, {
        taskId,
        resultId: row.resultId,
        file,
        kind,
        fileName,
        capturedAt: rt.now().toISOString(),
        ...where,
      });
    },
    async removeEvidence(id, reason) {
      const text = reason.trim();
      if (!text) return { ok: false, error: { kind: 'invalid-reason', message: '请填写删除原因' } };
      if (text.length > MAX_REMOVAL_REASON)
        return {
          ok: false,
          error: {
            kind: 'invalid-reason',
            message: `删除原因不能超过 ${MAX_REMOVAL_REASON} 字（现有 ${text.length} 字）`,
          },
        };
      const row = await files.get(id);
      const marked = row ? (await files.forResult(row.resultId)).find((f) => f.annotationOf?.id === id) : undefined;
      if (marked)
        return {
          ok: false,
          error: { kind: 'has-markup', message: `该照片有标注件（${marked.fileName}），请先删除标注件` },
        };
      await files.remove(id, { reason: text, at: rt.now().toISOString() });
      return { ok: true };
    },
    ...mediaMethods(rt, evidenceWhere),
    annotateEvidence: (originalId, marked) =>
      annotateEvidence({ files, now: rt.now, clockSkewMs: () => rt.tokens.skewMs() }, originalId, marked),
    async processRecord(taskId) {
      return (await audit.forTask(taskId)).map(({ seq, at, kind, subjectId, detail, hash, prevHash }) => ({
        seq,
        at,
        kind,
        subjectId,
        detail,
        hash,
        prevHash,
      }));
    },
    async evidenceFor(resultId) {
      return (await files.forResult(resultId)).map(toEvidenceFile);
    },
    async startCorrection(taskId) {
      const [latest, record, current] = await Promise.all([
        results.forTask(taskId),
        tasks.get(taskId),
        drafts.get(taskId),
      ]);
      if (!latest || !record) throw new Error('没有已定稿的检查记录，无需更正');
      if (current && !current.frozen) return toDraft(current);
      const base = current ?? newDraftRow(record.task, rt.now());
      const at = rt.now().toISOString();
      const row: DraftRow = {
        ...base,
        resultId: `r-${crypto.randomUUID()}`,
        replaces: latest.resultId,
        startedAt: at,
        updatedAt: at,
        frozen: false,
        captions: {},
        signatures: signatureSlots(record.task),
      };
      const stored = await drafts.replaceFrozen(row);
      rt.emit('tasks');
      return toDraft(stored);
    },
    journal,
  };
}
