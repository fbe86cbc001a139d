import { Alert, Segmented, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorText } from '../../api/problem';
import { TaskList } from '../../components/TaskList';
import { useMe } from '../../hooks/auth';
import { useTasks } from '../../hooks/tasks';
import { byUrgency, QUICK_FILTERS, type QuickFilter } from './quick-filters';

/** The most open tasks of a department read at once; a department has far fewer open tasks than that. */
const OPEN_TASKS_LIMIT = 1000;

/** `/work` 我的待办: the department's open tasks, most urgent first, with quick filters (kept in the URL). */
export default function WorkPage() {
  const me = useMe();
  const departmentId = me.data?.departmentId ?? undefined;
  const tasks = useTasks({ departmentId, open: true, sort: 'urgency', limit: OPEN_TASKS_LIMIT }, departmentId !== undefined);
  const [params, setParams] = useSearchParams();
  const filter: QuickFilter = (params.get('filter') as QuickFilter | null) ?? 'all';
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const open = useMemo(() => byUrgency(tasks.data?.items ?? []), [tasks.data]);
  const shown = useMemo(() => open.filter(QUICK_FILTERS[filter]?.keeps ?? (() => true)), [open, filter]);
  const options = (Object.keys(QUICK_FILTERS) as QuickFilter[]).map((key) => ({
    value: key,
    label: `${QUICK_FILTERS[key].label} ${open.filter(QUICK_FILTERS[key].keeps).length}`,
  }));
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        我的待办
      </Typography.Title>
      {!departmentId && me.data && <Alert type="info" showIcon title="您的账号未归属任何单位，没有本单位待办。" />}
      {tasks.isError && <Alert type="error" showIcon title={errorText(tasks.error)} />}
      <div style={{ maxWidth: '100%', overflowX: 'auto' }}>
        <Segmented<QuickFilter>
          aria-label="快速筛选"
          value={filter}
          options={options}
          onChange={(value) => {
            setPage((p) => ({ ...p, current: 1 }));
            setParams(value === 'all' ? {} : { filter: value });
          }}
        />
      </div>
      <TaskList
        tasks={shown.slice((page.current - 1) * page.pageSize, page.current * page.pageSize)}
        loading={tasks.isPending && departmentId !== undefined}
        emptyText="没有待办任务"
        pagination={{ ...page, total: shown.length, onChange: (current, pageSize) => setPage({ current, pageSize }) }}
      />
    </Space>
  );
}
