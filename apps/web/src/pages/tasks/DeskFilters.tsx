import { Flex, Tag } from 'antd';
import { formatPeriod } from '../../components/format';
import { useNames } from '../../hooks/names';
import type { TaskQuery } from '../../hooks/tasks';

/**
 * The filters the 督办台's counts and the reports' rows link with and the filter bar has no control
 * for (主办单位 as the desk and the reports count it, 在办 only, the period a report's row counts
 * tasks created or closed in), shown as tags that can be removed, so the list says what it lists.
 */
export function DeskFilters({ query, update }: { query: TaskQuery; update: (change: Partial<TaskQuery>) => void }) {
  const names = useNames();
  const created = formatPeriod(query.createdFrom, query.createdTo);
  const closed = formatPeriod(query.closedFrom, query.closedTo);
  if (!query.primaryDepartmentId && !query.open && !created && !closed) return null;
  return (
    <Flex wrap gap={8} role="group" aria-label="附加筛选条件">
      {query.primaryDepartmentId && (
        <Tag closable closeIcon={<span aria-label="移除主办单位筛选">×</span>} onClose={() => update({ primaryDepartmentId: undefined })}>
          主办单位：{names.departmentById(query.primaryDepartmentId)}
        </Tag>
      )}
      {closed && (
        <Tag closable closeIcon={<span aria-label="移除办结日期筛选">×</span>} onClose={() => update({ closedFrom: undefined, closedTo: undefined })}>
          办结日期：{closed}
        </Tag>
      )}
      {created && (
        <Tag closable closeIcon={<span aria-label="移除创建日期筛选">×</span>} onClose={() => update({ createdFrom: undefined, createdTo: undefined })}>
          创建日期：{created}
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
