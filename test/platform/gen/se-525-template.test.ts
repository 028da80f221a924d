import { describe, expect, it } from 'vitest';
import { CheckTemplateSchema } from '../../../shared/protocol/index.js';
import { buildReference } from '../routes/reference.js';
import { SE525_TEMPLATE } from './se-525-template.js';

describe('demo 5·25 template', () => {
  it('has 25 duties, five for each of the five roles, with unique codes', () => {
    expect(CheckTemplateSchema.parse(SE525_TEMPLATE)).toEqual(SE525_TEMPLATE);
    expect(SE525_TEMPLATE.items).toHaveLength(25);
    for (const role of ['主要负责人', '安全总监', '安全管理负责人', '安全员', '作业人员'])
      expect(SE525_TEMPLATE.items.filter((i) => i.name.startsWith(`${role}：`))).toHaveLength(5);
    expect(SE525_TEMPLATE.items[0]?.code).toBe('SE525-01');
    expect(SE525_TEMPLATE.items[24]?.code).toBe('SE525-25');
  });

  it('is served, versioned, in reference data', () => {
    const served = buildReference().checkTemplates?.find((t) => t.id === 'se-525');
    expect(served?.version).toBe(SE525_TEMPLATE.version);
    expect(served?.items.map((i) => i.name)).toEqual(SE525_TEMPLATE.items.map((i) => i.name));
  });
});
