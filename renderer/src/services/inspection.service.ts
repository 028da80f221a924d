/**
 * Drafts and finalize. openDraft builds the form from the task's items; saveDraft resolves after
 * the strict transaction commits; finalize validates, builds and schema-checks the ResultPayload,
 * hashes canonicalJson(payload) with WebCrypto (outside any transaction), and writes result, outbox
 * op and audit entry in one transaction. The draft is read-only afterwards.
 */
import { canonicalJson } from '../../../shared/domain/canonical.js';
import { chinaDate, publicationDeadline, DEFAULT_PUBLICATION_WORKING_DAYS } from '../../../shared/domain/dates.js';
import { ResultPayloadSchema, type ResultPayload, type Task } from '../../../shared/protocol/index.js';
import {
  AuditHeadMovedError, auditRepo, draftsRepo, referenceRepo, resultsRepo, sha256Hex, tasksRepo,
  type DraftRow, type ResultRow,
} from '../db/index.js';
import type { Draft, FinalizeProblem, InspectionService, StoredResult } from './api.js';
import { validateDraft } from './finalize-validation.js';
import type { Runtime } from './runtime.js';

export function toDraft(row: DraftRow): Draft {
  return {
    taskId: row.taskId, resultId: row.resultId, startedAt: row.startedAt, inspectedOn: row.inspectedOn,
    items: row.items.map((i) => ({ ...i, finding: i.finding ? { ...i.finding } : null })), findings: row.findings,
    resultCodes: [...row.resultCodes], checkMethods: [...row.checkMethods], followUps: [...row.followUps],
    replaces: row.replaces, updatedAt: row.updatedAt,
  };
}

export function toStoredResult(row: ResultRow): StoredResult {
  return { resultId: row.resultId, taskId: row.taskId, payload: row.payload, contentHash: row.contentHash, finalizedAt: row.finalizedAt, receipt: row.receipt };
}

export function newDraftRow(task: Task, now: Date): DraftRow {
  const at = now.toISOString();
  return {
    taskId: task.id, resultId: `r-${crypto.randomUUID()}`, startedAt: at, inspectedOn: chinaDate(now),
    items: task.items.map((i) => ({ itemCode: i.code, outcome: 'unchecked', note: '', finding: null })),
    findings: '', resultCodes: [], checkMethods: [], followUps: [], replaces: null, updatedAt: at, frozen: false,
  };
}

function buildPayload(draft: Draft, task: Task, finishedAt: string, deadline: string): ResultPayload {
  return {
    resultId: draft.resultId, taskId: task.id, enterpriseUscc: task.enterprise.uscc, inspectedOn: draft.inspectedOn,
    startedAt: draft.startedAt, finishedAt, inspectorIds: task.team.map((m) => m.inspectorId),
    itemResults: draft.items.map((i) => ({
      itemCode: i.itemCode, outcome: i.outcome, note: i.note,
      finding: i.outcome === 'fail' && i.finding ? { ...i.finding, lenient: null } : null,
    })),
    findings: draft.findings, resultCodes: draft.resultCodes, checkMethods: draft.checkMethods, followUps: draft.followUps,
    replaces: draft.replaces, publicationDeadline: deadline,
  };
}

export function createInspectionService(rt: Runtime, hooks: { beforeCommit?: () => void } = {}): InspectionService {
  const drafts = draftsRepo(rt.dbs.field);
  const tasks = tasksRepo(rt.dbs.field);
  const results = resultsRepo(rt.dbs.field);
  const audit = auditRepo(rt.dbs.field);
  const reference = referenceRepo(rt.dbs.cache);

  async function deadlineFor(inspectedOn: string): Promise<string> {
    const ref = (await reference.get())?.reference;
    return publicationDeadline(inspectedOn, ref?.calendar ?? { holidays: [], workdays: [] }, ref?.publicationWorkingDays ?? DEFAULT_PUBLICATION_WORKING_DAYS);
  }

  async function finalize(taskId: string): Promise<{ ok: true; result: StoredResult } | { ok: false; problems: readonly FinalizeProblem[] }> {
    const [row, record] = await Promise.all([drafts.get(taskId), tasks.get(taskId)]);
    if (!record) return { ok: false, problems: [{ path: '', message: '找不到该任务，请先同步' }] };
    if (!row) return { ok: false, problems: [{ path: '', message: '尚未开始检查，没有可定稿的记录' }] };
    if (row.frozen) return { ok: false, problems: [{ path: '', message: '该检查记录已定稿，不能重复定稿' }] };
    const draft = toDraft(row);
    const problems = validateDraft(draft, record.task);
    if (problems.length > 0) return { ok: false, problems };
    const finishedAt = rt.now().toISOString();
    const parsed = ResultPayloadSchema.safeParse(buildPayload(draft, record.task, finishedAt, await deadlineFor(draft.inspectedOn)));
    if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
    const payload = parsed.data;
    const contentHash = await sha256Hex(canonicalJson(payload));
    for (let attempt = 0; ; attempt += 1) {
      const entry = await audit.prepare({ at: finishedAt, kind: 'result.finalized', subjectId: payload.resultId, detail: { taskId, contentHash } });
      try {
        const stored = await results.finalize({
          result: { resultId: payload.resultId, taskId, taskVersion: record.task.version, payload, contentHash, finalizedAt: finishedAt },
          op: { opId: `op-${crypto.randomUUID()}`, enterpriseName: record.task.enterprise.name, publicationDeadline: payload.publicationDeadline },
          audit: entry,
          ...(hooks.beforeCommit ? { beforeCommit: hooks.beforeCommit } : {}),
        });
        rt.emit('tasks');
        rt.emit('outbox');
        return { ok: true, result: toStoredResult(stored) };
      } catch (e) {
        if (!(e instanceof AuditHeadMovedError) || attempt >= 5) throw e;
      }
    }
  }

  return {
    async openDraft(taskId) {
      const existing = await drafts.get(taskId);
      if (existing) return toDraft(existing);
      const record = await tasks.get(taskId);
      if (!record) throw new Error(`找不到任务 ${taskId}，请先同步`);
      const created = await drafts.createIfAbsent(newDraftRow(record.task, rt.now()));
      rt.emit('tasks');
      return toDraft(created);
    },
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
  };
}
