/**
 * Check templates for special-equipment users: adds the 5·25 responsibility list, as served in
 * reference data (id, version, items with names), to the checklist beside the task's own items.
 * Added items are ordinary draft items (autosaved) and can be removed again while unanswered.
 */
import { useWatch, type Control, type UseFormSetValue } from 'react-hook-form';
import type { CheckTemplate } from '../../../../shared/protocol/index.js';
import type { Draft } from '../../services/index.js';

export function TemplateBar({
  template,
  control,
  setValue,
}: {
  template: CheckTemplate;
  control: Control<Draft>;
  setValue: UseFormSetValue<Draft>;
}) {
  const items = useWatch({ control, name: 'items' });
  const templates = useWatch({ control, name: 'templates' });
  const added = templates.includes(template.id);
  const codes = new Set(template.items.map((t) => t.code));
  const add = (): void => {
    const have = new Set(items.map((i) => i.itemCode));
    const extra = template.items
      .filter((t) => !have.has(t.code))
      .map((t) => ({ itemCode: t.code, outcome: 'unchecked' as const, note: '', finding: null }));
    setValue('items', [...items, ...extra], { shouldDirty: true });
    setValue('templates', [...templates, template.id], { shouldDirty: true });
  };
  const remove = (): void => {
    setValue(
      'items',
      items.filter((i) => !codes.has(i.itemCode) || i.outcome !== 'unchecked'),
      { shouldDirty: true },
    );
    setValue(
      'templates',
      templates.filter((t) => t !== template.id),
      { shouldDirty: true },
    );
  };
  return (
    <div className="template-bar">
      <span className="small">特种设备使用单位：</span>
      {added ? (
        <button type="button" className="btn btn-small" onClick={remove}>
          移除未检查的 5·25 清单事项
        </button>
      ) : (
        <button type="button" className="btn btn-small" onClick={add}>
          添加“5·25”安全责任清单检查模板
        </button>
      )}
      <span className="small muted">
        模板：{template.title}（版本 {template.version}）
      </span>
    </div>
  );
}
