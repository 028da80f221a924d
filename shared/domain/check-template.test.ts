import { describe, expect, it } from 'vitest';
import { CheckTemplateSchema, ReferenceSchema } from '../protocol/index.js';
import { findTemplate, templateCheckItems, templateItemNames } from './check-template.js';

const v1 = {
  id: 'se-525',
  version: '1',
  title: '5·25',
  department: 'TZSB-525',
  departmentName: '5·25 清单',
  legalBasis: '令74',
  method: '查阅资料',
  items: [
    { code: 'SE525-01', name: '主要负责人：全面负责', key: true },
    { code: 'SE525-02', name: '安全总监：组织制度', key: false },
  ],
};

describe('check templates', () => {
  it('become check items under the template department', () => {
    expect(templateCheckItems(v1)[1]).toEqual({
      code: 'SE525-02',
      name: '安全总监：组织制度',
      department: 'TZSB-525',
      departmentName: '5·25 清单',
      legalBasis: '令74',
      method: '查阅资料',
      key: false,
    });
    expect(templateCheckItems(null)).toEqual([]);
    expect(findTemplate([v1], 'se-525')).toBe(v1);
    expect(findTemplate(undefined, 'se-525')).toBeNull();
  });

  it('name only template codes, each with the template id and version', () => {
    expect(templateItemNames(['TZ01', 'SE525-02'], [v1])).toEqual([
      { code: 'SE525-02', name: '安全总监：组织制度', template: 'se-525 1' },
    ]);
    expect(templateItemNames(['SE525-02'], [{ ...v1, version: '2' }])[0]?.template).toBe('se-525 2');
    expect(templateItemNames(['SE525-02'], undefined)).toEqual([]);
  });

  it('refuses a template with repeated item codes or no items', () => {
    const dup = CheckTemplateSchema.safeParse({ ...v1, items: [v1.items[0], v1.items[0]] });
    expect(dup.success).toBe(false);
    expect(dup.error?.issues[0]?.message).toBe('模板事项编码不能重复');
    expect(CheckTemplateSchema.safeParse({ ...v1, items: [] }).success).toBe(false);
  });

  it('leaves reference data without templates valid', () => {
    const old = {
      version: 'r',
      resultCodes: [],
      checkMethods: [],
      followUps: [],
      departments: [],
      items: [],
      lenientList: [],
      calendar: { holidays: [], workdays: [] },
      publicationWorkingDays: 20,
      documentTemplates: [],
    };
    expect(ReferenceSchema.parse(old).checkTemplates).toBeUndefined();
  });
});
