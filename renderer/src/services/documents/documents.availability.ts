/**
 * Which documents a task can have now, and why not: the deployment's template versions (from the
 * reference data), the finalized result some documents are made from, and what they need in it.
 */
import { DOC_TEMPLATE_VERSIONS, type DocType, type Reference } from '../../../../shared/protocol/index.js';
import type { DocumentKindName } from '../api.js';
import { needsRectification, type DocumentContext } from './documents.inputs.js';

/** The types this service lays out, in the order the documents panel lists them. */
export const ISSUABLE: readonly DocumentKindName[] = [
  'notice',
  'record',
  'rectification',
  'questioning',
  'evidence',
  'preservation',
  'foodResult',
  'directive',
  'service',
];

/**
 * Why the deployment's reference data rules a type out, or null: the platform names the types a
 * deployment uses and their template versions, and a paper laid out in another version than the
 * one the authority adopted is not a valid form.
 */
export function templateProblem(kind: DocType, templates: Reference['documentTemplates'] | null): string | null {
  if (templates === null) return '本机尚无参考数据（文书模板版本），请先联网同步';
  const named = templates.find((t) => t.docType === kind);
  if (!named) return '本地区参考数据未启用该文书';
  if (named.version !== DOC_TEMPLATE_VERSIONS[kind])
    return `本机不支持该文书的模板版本 ${named.version}（本机为 ${DOC_TEMPLATE_VERSIONS[kind]}），请更新软件`;
  return null;
}

/** Why a document cannot be made for the task now (zh-CN), or null. */
export function blockedReason(kind: DocumentKindName, ctx: DocumentContext): string | null {
  const template = templateProblem(kind, ctx.templates);
  if (template) return template;
  // A questioning can take place before the result is finalized, like the notice.
  if (kind === 'notice' || kind === 'questioning' || kind === 'preservation') return null;
  if (kind === 'service')
    return ctx.issued.some((d) => !d.voided && d.kind !== 'service') ? null : '还没有可送达的文书';
  if (!ctx.result) return '检查结果定稿后才能出具';
  if (kind === 'rectification' && !needsRectification(ctx.result)) return '本次检查没有需要责令限期改正的问题';
  if (kind === 'evidence' && (ctx.result.evidence ?? []).length === 0) return '检查结果中没有照片或扫描件';
  return null;
}
