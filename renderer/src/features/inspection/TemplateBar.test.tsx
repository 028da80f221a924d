import { useForm } from 'react-hook-form';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { CheckTemplate } from '../../../../shared/protocol/index.js';
import type { Draft } from '../../services/index.js';
import { TemplateBar } from './TemplateBar.js';

const TEMPLATE: CheckTemplate = {
  id: 'se-525',
  version: '2025.3',
  title: '本局“5·25”安全责任清单',
  department: 'TZSB-525',
  departmentName: '5·25 清单',
  legalBasis: '令74',
  method: '查阅资料',
  items: [{ code: 'SE525-01', name: '主要负责人：全面负责', key: true }],
};

function Harness({ templates }: { templates: string[] }) {
  const { control, setValue } = useForm<Draft>({ defaultValues: { items: [], templates } });
  return <TemplateBar template={TEMPLATE} control={control} setValue={setValue} />;
}

describe('5·25 template bar', () => {
  it('names the template and version the reference data served', () => {
    const html = renderToStaticMarkup(<Harness templates={[]} />);
    expect(html).toContain('本局“5·25”安全责任清单（版本 2025.3）');
    expect(html).toContain('添加“5·25”安全责任清单检查模板');
  });

  it('offers removal once the template (by its reference id) is in the draft', () => {
    expect(renderToStaticMarkup(<Harness templates={['se-525']} />)).toContain('移除未检查的 5·25 清单事项');
  });
});
