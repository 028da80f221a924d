/**
 * Check templates from reference data (the 5·25 list): their items as checklist items, and the
 * names a result records for items that came from a template, so the public page and later
 * follow-ups show words, never codes, and name the template version the items were taken from.
 * Pure; structurally the protocol's CheckTemplate.
 */

export interface TemplateRule {
  readonly id: string;
  readonly version: string;
  readonly department: string;
  readonly departmentName: string;
  readonly legalBasis: string;
  readonly method: string;
  readonly items: readonly { readonly code: string; readonly name: string; readonly key: boolean }[];
}

export interface TemplateCheckItem {
  code: string;
  name: string;
  department: string;
  departmentName: string;
  legalBasis: string;
  method: string;
  key: boolean;
}

export function findTemplate<T extends TemplateRule>(templates: readonly T[] | undefined, id: string): T | null {
  return templates?.find((t) => t.id === id) ?? null;
}

/** The template's items in the shape of the task's check items. */
export function templateCheckItems(template: TemplateRule | null): TemplateCheckItem[] {
  if (!template) return [];
  return template.items.map((i) => ({
    code: i.code,
    name: i.name,
    department: template.department,
    departmentName: template.departmentName,
    legalBasis: template.legalBasis,
    method: template.method,
    key: i.key,
  }));
}

/** How a result names the template an item came from: id and version. */
export function templateLabel(template: Pick<TemplateRule, 'id' | 'version'>): string {
  return `${template.id} ${template.version}`;
}

/** Names (and template version) of the given codes that belong to one of the templates. */
export function templateItemNames(
  codes: readonly string[],
  templates: readonly TemplateRule[] | undefined,
): { code: string; name: string; template: string }[] {
  const byCode = new Map(
    (templates ?? []).flatMap((t) =>
      t.items.map((i) => [i.code, { name: i.name, template: templateLabel(t) }] as const),
    ),
  );
  return codes.flatMap((code) => {
    const hit = byCode.get(code);
    return hit ? [{ code, ...hit }] : [];
  });
}
