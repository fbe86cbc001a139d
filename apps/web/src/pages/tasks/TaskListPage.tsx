import { Alert, Button, Checkbox, DatePicker, Flex, Input, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { errorText } from '../../api/problem';
import { CARDS, LIGHTS } from '../../components/format';
import { TaskList } from '../../components/TaskList';
import { useDepartments } from '../../hooks/org';
import { type TaskQuery, useTasks } from '../../hooks/tasks';
import { useWorkflowDefinitions, useWorkflows } from '../../hooks/workflows';
import { DeskFilters } from './DeskFilters';
import { paramsFromQuery, queryFromParams } from './filters';

const FILTER_WIDTH = 170;

/** `/tasks`: every task the user may see, filtered and sorted from the URL (bookmarkable), paged. */
export default function TaskListPage() {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryFromParams(params), [params]);
  const tasks = useTasks(query);
  /** Applies a change of filters; any change but paging starts again at page 1. */
  const update = (change: Partial<TaskQuery>) => setParams(paramsFromQuery({ ...query, page: 1, ...change }));
  const sortOrder = query.sort === 'dueAt' ? 'ascend' : query.sort === '-dueAt' ? 'descend' : null;
  const filtered = [...params.keys()].some((k) => k !== 'page' && k !== 'limit' && k !== 'sort');
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        全部任务
      </Typography.Title>
      <Filters query={query} update={update} />
      <DeskFilters query={query} update={update} />
      {filtered && (
        <Button type="link" style={{ padding: 0, alignSelf: 'flex-start' }} onClick={() => setParams({})}>
          清除全部筛选
        </Button>
      )}
      {tasks.isError && <Alert type="error" showIcon title={errorText(tasks.error)} />}
      <TaskList
        tasks={tasks.data?.items ?? []}
        loading={tasks.isFetching}
        emptyText={filtered ? '没有符合条件的任务' : '暂无任务'}
        pagination={{
          current: query.page ?? 1,
          pageSize: query.limit ?? 20,
          total: tasks.data?.total ?? 0,
          onChange: (page, limit) => setParams(paramsFromQuery({ ...query, page, limit })),
        }}
        sort={{ order: sortOrder, onChange: (order) => update({ sort: order === 'ascend' ? 'dueAt' : order === 'descend' ? '-dueAt' : undefined }) }}
      />
    </Space>
  );
}

function Filters({ query, update }: { query: TaskQuery; update: (change: Partial<TaskQuery>) => void }) {
  const workflows = useWorkflows();
  const departments = useDepartments();
  const range = query.dueFrom && query.dueTo ? ([dayjs(query.dueFrom), dayjs(query.dueTo)] as [dayjs.Dayjs, dayjs.Dayjs]) : null;
  return (
    <Flex wrap gap={8} role="search" aria-label="筛选任务">
      <Input.Search
        aria-label="搜索标题或编号"
        placeholder="标题或编号，如 DB-00000123"
        allowClear
        defaultValue={query.q}
        key={query.q ?? ''}
        onSearch={(q) => update({ q: q.trim() || undefined })}
        style={{ width: 280, maxWidth: '100%' }}
      />
      <Select
        aria-label="类型"
        placeholder="类型"
        allowClear
        value={query.workflow}
        onChange={(workflow?: string) => update({ workflow, state: undefined })}
        options={(workflows.data?.items ?? []).map((w) => ({ value: w.key, label: w.name }))}
        style={{ width: FILTER_WIDTH }}
      />
      <StateFilter query={query} update={update} />
      <Select
        aria-label="单位"
        placeholder="单位"
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        value={query.departmentId}
        onChange={(departmentId?: string) => update({ departmentId })}
        options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
        style={{ width: 220, maxWidth: '100%' }}
      />
      <Select
        aria-label="红黄绿灯"
        placeholder="红黄绿灯"
        allowClear
        value={query.light}
        onChange={(light?: TaskQuery['light']) => update({ light })}
        options={(['red', 'yellow', 'green'] as const).map((l) => ({ value: l, label: `${LIGHTS[l].word}灯` }))}
        style={{ width: 120 }}
      />
      <Select
        aria-label="牌"
        placeholder="牌"
        allowClear
        value={query.card}
        onChange={(card?: TaskQuery['card']) => update({ card })}
        options={[...(['yellow', 'red'] as const).map((c) => ({ value: c, label: CARDS[c].word })), { value: 'none', label: '无牌' }]}
        style={{ width: 110 }}
      />
      <DatePicker.RangePicker
        aria-label="到期范围"
        placeholder={['到期起', '到期止']}
        value={range}
        onChange={(dates) => update({ dueFrom: dates?.[0]?.format('YYYY-MM-DD'), dueTo: dates?.[1]?.format('YYYY-MM-DD') })}
        style={{ width: 260, maxWidth: '100%' }}
      />
      <Checkbox checked={query.overdue === true} onChange={(e) => update({ overdue: e.target.checked || undefined })} style={{ alignSelf: 'center' }}>
        已逾期
      </Checkbox>
    </Flex>
  );
}

/** 状态: the states of each workflow by label (of the chosen workflow only, once one is chosen). */
function StateFilter({ query, update }: { query: TaskQuery; update: (change: Partial<TaskQuery>) => void }) {
  const workflows = useWorkflows();
  const keys = (workflows.data?.items ?? []).map((w) => w.key);
  const definitions = useWorkflowDefinitions(keys);
  const stateOptions = definitions
    .flatMap((d) => (d.data ? [d.data] : []))
    .filter((d) => !query.workflow || d.key === query.workflow)
    .map((d) => ({ label: d.name, title: d.name, options: d.states.map((s) => ({ value: `${d.key}|${s.key}`, label: s.label })) }));
  const stateValue = query.state
    ? `${query.workflow ?? stateOptions[0]?.options.find((o) => o.value.endsWith(`|${query.state}`))?.value.split('|')[0]}|${query.state}`
    : undefined;
  return (
    <Select
      aria-label="状态"
      placeholder="状态"
      allowClear
      value={stateValue}
      onChange={(value?: string) => {
        const [workflow, state] = value ? value.split('|') : [query.workflow, undefined];
        update({ workflow, state });
      }}
      options={stateOptions}
      style={{ width: FILTER_WIDTH }}
    />
  );
}
