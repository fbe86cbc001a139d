import { Card, Grid, List, Space, Table, type TableProps, Typography } from 'antd';
import { Link } from 'react-router';
import type { Task } from '../api/types';
import { useNames } from '../hooks/names';
import { CardTag, DueDate, Light, StateTag } from './TaskBadges';

export interface TaskListProps {
  tasks: Task[];
  loading: boolean;
  pagination: { current: number; pageSize: number; total: number; onChange: (page: number, pageSize: number) => void };
  /** The due-date sort in force and how to change it; without it the column is not sortable. */
  sort?: { order: 'ascend' | 'descend' | null; onChange: (order: 'ascend' | 'descend' | null) => void };
  emptyText: string;
}

/** Tasks as a table on a desk, as cards on a phone (no horizontal scrolling at 390 px). */
export function TaskList(props: TaskListProps) {
  const screens = Grid.useBreakpoint();
  return screens.md ? <TaskTable {...props} /> : <TaskCards {...props} />;
}

function TaskTable({ tasks, loading, pagination, sort, emptyText }: TaskListProps) {
  const names = useNames();
  const columns: TableProps<Task>['columns'] = [
    { title: '灯', key: 'light', width: 64, render: (_, t) => <Light light={t.light} /> },
    { title: '编号', dataIndex: 'ref', key: 'ref', width: 120 },
    { title: '标题', key: 'title', render: (_, t) => <Link to={`/tasks/${t.id}`}>{t.title}</Link> },
    { title: '类型', key: 'workflow', width: 140, render: (_, t) => names.workflow(t) },
    { title: '主办单位', key: 'owner', width: 180, render: (_, t) => names.department(t.owners.find((o) => o.role === 'lead') ?? t.owners[0]!) },
    { title: '状态', key: 'state', width: 110, render: (_, t) => <StateTag task={t} /> },
    {
      title: '到期',
      key: 'dueAt',
      width: 230,
      sorter: sort !== undefined,
      sortOrder: sort?.order ?? null,
      sortDirections: ['ascend', 'descend'],
      render: (_, t) => <DueDate task={t} />,
    },
    { title: '牌', key: 'card', width: 76, render: (_, t) => <CardTag card={t.card} /> },
  ];
  return (
    <Table<Task>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={tasks}
      loading={loading}
      locale={{ emptyText }}
      // A task's `children` is its children's roll-up, not rows: no tree table.
      expandable={{ childrenColumnName: 'noTreeRows' }}
      onChange={(_p, _f, sorter) => {
        if (!sort || Array.isArray(sorter)) return;
        sort.onChange(sorter.order ?? null);
      }}
      pagination={{ ...pagination, showSizeChanger: true, showTotal: (total) => `共 ${total} 项` }}
    />
  );
}

function TaskCards({ tasks, loading, pagination, emptyText }: TaskListProps) {
  const names = useNames();
  return (
    <List<Task>
      loading={loading}
      dataSource={tasks}
      locale={{ emptyText }}
      pagination={{ ...pagination, size: 'small', simple: true, align: 'center' }}
      renderItem={(t) => (
        <List.Item key={t.id} style={{ padding: '6px 0', borderBlockEnd: 'none' }}>
          <Card size="small" style={{ width: '100%' }}>
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Space size={8} wrap>
                <Light light={t.light} />
                <Typography.Text type="secondary">{t.ref}</Typography.Text>
                <CardTag card={t.card} />
                <StateTag task={t} />
              </Space>
              <Link to={`/tasks/${t.id}`} style={{ fontWeight: 500 }}>
                {t.title}
              </Link>
              <Typography.Text type="secondary">
                {names.workflow(t)} · {names.department(t.owners.find((o) => o.role === 'lead') ?? t.owners[0]!)}
              </Typography.Text>
              <DueDate task={t} />
            </Space>
          </Card>
        </List.Item>
      )}
    />
  );
}
