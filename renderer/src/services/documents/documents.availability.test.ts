/**
 * The reference data decides which documents a deployment issues and in which template version:
 * a type the platform does not name, or names in a version this build does not lay out, is blocked
 * with a reason the inspector can act on.
 */
import { describe, expect, it } from 'vitest';
import { DOC_TEMPLATE_VERSIONS } from '../../../../shared/protocol/index.js';
import { templateProblem } from './documents.availability.js';

describe('document templates from the reference data', () => {
  it('allows a type named in the version this build lays out', () => {
    expect(templateProblem('record', [{ docType: 'record', version: DOC_TEMPLATE_VERSIONS.record }])).toBeNull();
  });

  it('blocks a type the deployment does not use', () => {
    expect(templateProblem('questioning', [{ docType: 'record', version: DOC_TEMPLATE_VERSIONS.record }])).toBe(
      '本地区参考数据未启用该文书',
    );
  });

  it('blocks a template version this build cannot lay out, naming both versions', () => {
    expect(templateProblem('notice', [{ docType: 'notice', version: 'ZJ-2026.2' }])).toBe(
      `本机不支持该文书的模板版本 ZJ-2026.2（本机为 ${DOC_TEMPLATE_VERSIONS.notice}），请更新软件`,
    );
  });

  it('blocks every type before any reference data was synced', () => {
    expect(templateProblem('notice', null)).toBe('本机尚无参考数据（文书模板版本），请先联网同步');
  });
});
