import { Flex, Tag } from 'antd';
import { useNames } from '../../hooks/names';
import type { TaskQuery } from '../../hooks/tasks';

/**
 * The filters the 督办台's counts link with and the filter bar has no control for (主办单位 as
 * the desk counts it, 在办 only), shown as tags that can be removed, so the list says what it lists.
 */
export function DeskFilters({ query, update }: { query: TaskQuery; update: (change: Partial<TaskQuery>) => void }) {
  const names = useNames();
  if (!query.primaryDepartmentId && !query.open) return null;
  return (
    <Flex wrap gap={8} aria-label="督办台筛选条件">
      {query.primaryDepartmentId && (
        <Tag closable closeIcon={<span aria-label="移除主办单位筛选">×</span>} onClose={() => update({ primaryDepartmentId: undefined })}>
          主办单位：{names.departmentById(query.primaryDepartmentId)}
        </Tag>
      )}
      {query.open && (
        <Tag closable closeIcon={<span aria-label="移除仅在办筛选">×</span>} onClose={() => update({ open: undefined })}>
          仅在办
        </Tag>
      )}
    </Flex>
  );
}
