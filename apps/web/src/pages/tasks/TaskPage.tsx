import { Alert, Breadcrumb, Result, Space, Spin } from 'antd';
import { Link, useParams } from 'react-router';
import { ApiError, errorText } from '../../api/problem';
import type { Task } from '../../api/types';
import { useTask } from '../../hooks/tasks';
import { ActionPanel } from './view/ActionPanel';
import { AuditTimeline } from './view/AuditTimeline';
import { TaskHeader } from './view/TaskHeader';
import { Attachments, Children } from './view/Related';
import { SplitPanel } from './view/SplitPanel';

/** `/tasks/:id`: header, actions, timeline, splitting (分解) and children, attachments (UI.md "What every task view shows"). */
export default function TaskPage() {
  const { id = '' } = useParams();
  const task = useTask(id);
  if (task.isPending) return <Spin style={{ display: 'block', margin: 48 }} />;
  if (task.isError) {
    const missing = task.error instanceof ApiError && (task.error.status === 404 || task.error.status === 400);
    return missing ? <Result status="404" title="任务不存在，或您无权查看" /> : <Alert type="error" showIcon title={errorText(task.error)} />;
  }
  return <TaskView task={task.data} />;
}

function TaskView({ task }: { task: Task }) {
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/tasks">全部任务</Link> }, { title: task.ref }]} />
      <TaskHeader task={task} stateLabel={task.stateLabel} />
      <ActionPanel task={task} actions={task.actions} />
      <AuditTimeline task={task} />
      <SplitPanel task={task} />
      <Children task={task} />
      <Attachments task={task} />
    </Space>
  );
}
