/**
 * Drafts of document forms: what the inspector typed is stored (sealed, per task and type) while
 * typing, and read back when the form opens again. A stored draft is checked against the shape of
 * the form's defaults before it is handed to the form: a draft that does not open or does not fit
 * is reported as damaged, and the form opens with its defaults instead of crashing.
 */
import { DOC_TYPES, type DocType } from '../../../../shared/protocol/index.js';
import { docDraftsRepo, type DocDraftRow, type FieldDb } from '../../db/index.js';
import { VaultLockedError } from '../../vault/vault.errors.js';
import type { DocumentsService } from './documents.api.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where `value` departs from the shape of `template` (same keys, same value types), or null when it fits. */
export function shapeMismatch(template: unknown, value: unknown, path = '内容'): string | null {
  if (Array.isArray(template)) {
    if (!Array.isArray(value)) return `${path} 应为列表`;
    for (const [i, item] of value.entries()) {
      const at = `${path}[${i + 1}]`;
      if (template.length > 0) {
        const bad = shapeMismatch(template[0], item, at);
        if (bad) return bad;
      } else if (isObject(item)) {
        // No element to compare with: allow only plain scalar fields.
        for (const [k, v] of Object.entries(item))
          if (!['string', 'number', 'boolean'].includes(typeof v)) return `${at}.${k} 类型不对`;
      } else if (typeof item !== 'string') return `${at} 类型不对`;
    }
    return null;
  }
  if (isObject(template)) {
    if (!isObject(value)) return `${path} 应为对象`;
    for (const key of Object.keys(template)) {
      if (!(key in value)) return `${path}.${key} 缺失`;
      const bad = shapeMismatch(template[key], value[key], `${path}.${key}`);
      if (bad) return bad;
    }
    return null;
  }
  if (template === null) return null;
  return typeof value === typeof template ? null : `${path} 类型不对`;
}

function checkKind(kind: string): asserts kind is DocType {
  if (!(DOC_TYPES as readonly string[]).includes(kind)) throw new Error(`没有这种文书：${kind}`);
}

export interface DraftDeps {
  readonly field: FieldDb;
  readonly now: () => Date;
  readonly defaults: DocumentsService['defaults'];
}

export function formDraftOperations(
  deps: DraftDeps,
): Pick<DocumentsService, 'formDraft' | 'saveFormDraft' | 'discardFormDraft' | 'holdFormDraft' | 'flushFormDrafts'> {
  const repo = docDraftsRepo(deps.field);
  const held = new Set<() => Promise<unknown>>();
  return {
    holdFormDraft(flush) {
      held.add(flush);
      return () => held.delete(flush);
    },
    async flushFormDrafts() {
      // A failed flush is the form's to retry and show; locking goes on regardless.
      await Promise.all([...held].map((f) => f().catch(() => undefined)));
    },
    async formDraft(taskId, kind) {
      checkKind(kind);
      let row: DocDraftRow | null;
      try {
        row = await repo.get(taskId, kind);
      } catch (e) {
        if (e instanceof VaultLockedError) throw e;
        return { ok: false, error: { kind: 'damaged', message: `本机保存的草稿无法打开：${(e as Error).message}` } };
      }
      if (!row) return { ok: true, draft: null };
      const bad = shapeMismatch(await deps.defaults(taskId, kind), row.values);
      if (bad) return { ok: false, error: { kind: 'damaged', message: `本机保存的草稿已损坏（${bad}）` } };
      // Checked just above against the defaults of this kind: the shape the form expects.
      return { ok: true, draft: { values: row.values as never, savedAt: row.savedAt } };
    },
    async saveFormDraft(taskId, kind, values) {
      checkKind(kind);
      if (!isObject(values)) throw new Error('文书草稿的内容必须是表单的值');
      const savedAt = deps.now().toISOString();
      // A structured clone: the form keeps mutating its own object after this call returns.
      await repo.save({ taskId, docType: kind, values: structuredClone(values), savedAt });
      return { savedAt };
    },
    async discardFormDraft(taskId, kind) {
      checkKind(kind);
      await repo.delete(taskId, kind);
    },
  };
}
