import { Alert, Breadcrumb, Button, Card, Descriptions, Flex, Grid, List, Progress, Result, Space, Spin, Table, type TableProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, errorText } from '../../api/problem';
import type { Task } from '../../api/types';
import { formatMoment, LIGHTS } from '../../components/format';
import { DueDate, Light } from '../../components/TaskBadges';
import { useNames } from '../../hooks/names';
import { type PlanItem, type PlanRollup, useChildTasks, usePlan } from '../../hooks/plans';
import { useWorkflowDefinitions } from '../../hooks/workflows';

type Light = Task['light'];
type StateLabel = (state: string) => string;

/** A fraction 0–1 as a whole percent for a progress bar. */
const percent = (fraction: number) => Math.round(fraction * 100);

/** A light's bar colour: the task views' own. */
const strokeOf = (light: Light) => LIGHTS[light].color;

/** `/plans/:id`: a plan's roll-up: overall progress, by department, and each item with its light, progress and fanned-out children. */
export default function PlanPage() {
  const { id = '' } = useParams();
  const plan = usePlan(id);
  if (plan.isPending) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (plan.isError) {
    const missing = plan.error instanceof ApiError && (plan.error.status === 404 || plan.error.status === 400);
    return missing ? <Result status="404" title="计划不存在，或您无权查看" /> : <Alert type="error" showIcon title={errorText(plan.error)} />;
  }
  return <PlanView plan={plan.data} />;
}

function PlanView({ plan }: { plan: PlanRollup }) {
  const [definition] = useWorkflowDefinitions([plan.workflow]);
  const states = new Map((definition?.data?.states ?? []).map((s) => [s.key, s.label]));
  const stateLabel: StateLabel = (state) => states.get(state) ?? state;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/plans">工作计划</Link> }, { title: plan.title }]} />
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        {plan.title}
      </Typography.Title>
      <Overview plan={plan} />
      <ByDepartment plan={plan} />
      <Items plan={plan} stateLabel={stateLabel} />
    </Space>
  );
}

function LightCounts({ counts }: { counts: Record<Light, number> }) {
  return (
    <Space size={12} wrap>
      {(['red', 'yellow', 'green'] as const).map((l) => (
        <span key={l} style={{ whiteSpace: 'nowrap' }}>
          <Light light={l} /> {counts[l]}
        </span>
      ))}
    </Space>
  );
}

function Overview({ plan }: { plan: PlanRollup }) {
  return (
    <Card size="small">
      <Flex wrap gap={24} align="center">
        <Progress type="circle" percent={percent(plan.progress)} size={88} aria-label="计划总体进度" />
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          style={{ flex: '1 1 260px' }}
          items={[
            { key: 'year', label: '年度', children: `${plan.year}年` },
            { key: 'items', label: '事项', children: `${plan.itemCount} 项` },
            { key: 'tasks', label: '任务（含下发）', children: `${plan.closedCount} / ${plan.taskCount} 已办结` },
            { key: 'lights', label: '事项红黄绿灯', children: <LightCounts counts={plan.byLight} /> },
            {
              key: 'children',
              label: '下发到县（市、区）',
              children: plan.children.total > 0 ? `${plan.children.done} / ${plan.children.total} 已办结` : '无',
            },
            { key: 'created', label: '导入时间', children: formatMoment(plan.createdAt) },
          ]}
        />
      </Flex>
    </Card>
  );
}

type DepartmentRow = PlanRollup['byDepartment'][number];

function ByDepartment({ plan }: { plan: PlanRollup }) {
  const screens = Grid.useBreakpoint();
  const done = (d: DepartmentRow) => (d.tasks === 0 ? 0 : percent(d.closed / d.tasks));
  const columns: TableProps<DepartmentRow>['columns'] = [
    { title: '单位', dataIndex: 'name', key: 'name' },
    { title: '任务', dataIndex: 'tasks', key: 'tasks', width: 72, align: 'right' },
    { title: '已办结', dataIndex: 'closed', key: 'closed', width: 80, align: 'right' },
    { title: '红黄绿灯', key: 'lights', width: 200, render: (_, d) => <LightCounts counts={d.byLight} /> },
    { title: '办结进度', key: 'done', width: 200, render: (_, d) => <Progress percent={done(d)} size="small" aria-label={`${d.name}办结进度`} /> },
  ];
  return (
    <Card title="按单位" size="small" styles={{ body: { padding: screens.md ? 0 : 8 } }}>
      {screens.md ? (
        <Table<DepartmentRow> rowKey="departmentId" size="small" columns={columns} dataSource={plan.byDepartment} pagination={false} />
      ) : (
        <List<DepartmentRow>
          dataSource={plan.byDepartment}
          renderItem={(d) => (
            <List.Item key={d.departmentId} style={{ display: 'block' }}>
              <Flex justify="space-between" wrap gap={8}>
                <Typography.Text strong>{d.name}</Typography.Text>
                <Typography.Text type="secondary">
                  {d.closed} / {d.tasks} 已办结
                </Typography.Text>
              </Flex>
              <LightCounts counts={d.byLight} />
              <Progress percent={done(d)} size="small" aria-label={`${d.name}办结进度`} />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function ItemProgress({ item }: { item: PlanItem }) {
  return <Progress percent={percent(item.progress)} size="small" strokeColor={strokeOf(item.light)} aria-label={`${item.title}进度`} />;
}

function Items({ plan, stateLabel }: { plan: PlanRollup; stateLabel: StateLabel }) {
  const screens = Grid.useBreakpoint();
  const columns: TableProps<PlanItem>['columns'] = [
    { title: '序号', dataIndex: 'number', key: 'number', width: 72, render: (n: string | null) => n ?? '—' },
    { title: '灯', key: 'light', width: 64, render: (_, i) => <Light light={i.light} /> },
    { title: '事项', key: 'title', render: (_, i) => <Link to={`/tasks/${i.taskId}`}>{i.title}</Link> },
    { title: '状态', key: 'state', width: 100, render: (_, i) => <Tag>{stateLabel(i.state)}</Tag> },
    { title: '下发', key: 'children', width: 90, render: (_, i) => (i.children.total > 0 ? `${i.children.done} / ${i.children.total}` : '—') },
    { title: '期限', key: 'due', width: 170, render: (_, i) => formatMoment(i.dueAt) },
    { title: '进度', key: 'progress', width: 180, render: (_, i) => <ItemProgress item={i} /> },
  ];
  return (
    <Card title={`事项（${plan.items.length}）`} size="small" styles={{ body: { padding: screens.md ? 0 : 8 } }}>
      {screens.md ? (
        <Table<PlanItem>
          rowKey="taskId"
          size="small"
          columns={columns}
          dataSource={plan.items}
          pagination={false}
          expandable={{
            // An item's `children` are counts, not rows: the table must not read them as a tree.
            childrenColumnName: 'childRows',
            rowExpandable: (i) => i.children.total > 0,
            expandedRowRender: (i) => <ChildTasks parentId={i.taskId} stateLabel={stateLabel} />,
          }}
        />
      ) : (
        <List<PlanItem> dataSource={plan.items} renderItem={(i) => <ItemCard key={i.taskId} item={i} stateLabel={stateLabel} />} />
      )}
    </Card>
  );
}

function ItemCard({ item, stateLabel }: { item: PlanItem; stateLabel: StateLabel }) {
  const [open, setOpen] = useState(false);
  return (
    <List.Item style={{ display: 'block' }}>
      <Space size={8} wrap>
        {item.number && <Typography.Text type="secondary">{item.number}</Typography.Text>}
        <Light light={item.light} />
        <Tag>{stateLabel(item.state)}</Tag>
      </Space>
      <div>
        <Link to={`/tasks/${item.taskId}`}>{item.title}</Link>
      </div>
      <Typography.Text type="secondary">期限 {formatMoment(item.dueAt)}</Typography.Text>
      <ItemProgress item={item} />
      {item.children.total > 0 && (
        <>
          <Button type="link" style={{ padding: 0 }} aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? '收起' : '查看'}下发单位（{item.children.done} / {item.children.total} 已办结）
          </Button>
          {open && <ChildTasks parentId={item.taskId} stateLabel={stateLabel} />}
        </>
      )}
    </List.Item>
  );
}

/** A fanned-out item's children (one per county): unit, light, state, progress and time left. */
function ChildTasks({ parentId, stateLabel }: { parentId: string; stateLabel: StateLabel }) {
  const children = useChildTasks(parentId, true);
  const names = useNames();
  if (children.isError) return <Alert type="error" showIcon title={errorText(children.error)} />;
  return (
    <List<Task>
      size="small"
      loading={children.isPending}
      dataSource={children.data?.items ?? []}
      locale={{ emptyText: '没有您可查看的下发任务' }}
      renderItem={(c) => (
        <List.Item key={c.id} data-testid="plan-child" style={{ display: 'block' }}>
          <Flex wrap gap="4px 12px" align="center">
            <Link to={`/tasks/${c.id}`} style={{ minWidth: 120 }}>
              {names.department(c.owners.find((o) => o.role === 'lead') ?? c.owners[0]!)}
            </Link>
            <Light light={c.light} />
            <Tag>{c.stateLabel ?? stateLabel(c.state)}</Tag>
            <span style={{ width: 140 }}>
              <Progress percent={c.closedAt ? 100 : (c.progress ?? 0)} size="small" strokeColor={strokeOf(c.light)} aria-label="进度" />
            </span>
            <DueDate task={c} />
          </Flex>
        </List.Item>
      )}
    />
  );
}
