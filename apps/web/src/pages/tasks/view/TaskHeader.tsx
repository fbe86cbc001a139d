import { Alert, Card, Descriptions, Grid, Progress, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { Task } from '../../../api/types';
import { formatMoment, OWNER_ROLES } from '../../../components/format';
import { CardTag, DueDate, Light } from '../../../components/TaskBadges';
import { useNames } from '../../../hooks/names';

/** The task's header (UI.md "What every task view shows"): what it is, where it stands, whose it is. */
export function TaskHeader({ task, stateLabel }: { task: Task; stateLabel: string }) {
  const names = useNames();
  const screens = Grid.useBreakpoint();
  const owners = (role: 'lead' | 'co') =>
    task.owners
      .filter((o) => o.role === role)
      .map((o) => names.department(o))
      .join('、') || '—';
  const items = [
    { key: 'ref', label: '编号', children: task.ref },
    { key: 'workflow', label: '类型', children: names.workflow(task) },
    { key: 'state', label: '状态', children: <Tag color={task.closedAt ? 'default' : 'blue'}>{stateLabel}</Tag> },
    {
      key: 'light',
      label: '红黄绿灯',
      children: (
        <Space size={8}>
          <Light light={task.light} />
          <CardTag card={task.card} />
        </Space>
      ),
    },
    { key: 'due', label: '办理期限', children: <DueDate task={task} /> },
    ...(task.requestedDueAt ? [{ key: 'requested', label: '申请延期至', children: formatMoment(task.requestedDueAt, task.timezone) }] : []),
    { key: 'lead', label: OWNER_ROLES.lead, children: owners('lead') },
    { key: 'co', label: OWNER_ROLES.co, children: owners('co') },
    { key: 'assignee', label: '经办人', children: task.assigneeName ?? (task.assigneeId ? '已指定' : '未指定') },
    {
      key: 'progress',
      label: '进度',
      children: task.progress === null ? '未填报' : <Progress aria-label="进度" percent={task.progress} size="small" style={{ maxWidth: 240, margin: 0 }} />,
    },
    { key: 'created', label: '创建时间', children: formatMoment(task.createdAt, task.timezone) },
    ...(task.closedAt ? [{ key: 'closed', label: '办结时间', children: formatMoment(task.closedAt, task.timezone) }] : []),
    ...(task.parent || task.parentId
      ? [
          {
            key: 'parent',
            label: '上级任务',
            children: <Link to={`/tasks/${task.parent?.id ?? task.parentId}`}>{task.parent ? `${task.parent.ref} ${task.parent.title}` : '查看上级任务'}</Link>,
          },
        ]
      : []),
  ];
  return (
    <Card>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Space size={8} wrap>
          {task.priority === 'urgent' && <Tag color="red">紧急</Tag>}
          <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
            {task.title}
          </Typography.Title>
        </Space>
        <Descriptions size="small" column={screens.lg ? 3 : screens.sm ? 2 : 1} items={items} />
        {task.calendarWarning && <Alert type="warning" showIcon title={task.calendarWarning.message} />}
        {task.body && (
          <Typography.Paragraph ellipsis={{ rows: 3, expandable: true, symbol: '展开' }} style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
            {task.body}
          </Typography.Paragraph>
        )}
      </Space>
    </Card>
  );
}
