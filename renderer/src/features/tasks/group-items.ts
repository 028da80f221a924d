/** Groups a task's check items by department, keeping the task's order (联合抽查). */
import type { CheckItem } from '../../../../shared/protocol/index.js';

export interface DepartmentGroup<T extends Pick<CheckItem, 'department' | 'departmentName'>> {
  readonly department: string;
  readonly departmentName: string;
  readonly items: T[];
}

export function groupByDepartment<T extends Pick<CheckItem, 'department' | 'departmentName'>>(
  items: readonly T[],
): DepartmentGroup<T>[] {
  const groups = new Map<string, DepartmentGroup<T>>();
  for (const item of items) {
    let g = groups.get(item.department);
    if (!g) {
      g = { department: item.department, departmentName: item.departmentName, items: [] };
      groups.set(item.department, g);
    }
    g.items.push(item);
  }
  return [...groups.values()];
}
