import { Alert, Breadcrumb, Result, Space, Spin } from 'antd';
import { Link, useParams } from 'react-router';
import { ApiError, errorText } from '../../api/problem';
import type { Task, TaskAction } from '../../api/types';
import { useTask } from '../../hooks/tasks';
import { useWorkflowLabels } from '../../hooks/workflows';
import { ActionPanel } from './view/ActionPanel';
import { AuditTimeline } from './view/AuditTimeline';
import { TaskHeader } from './view/TaskHeader';
import { Attachments, Children } from './view/Related';

/** `/tasks/:id`: header, actions, timeline, children, attachments (UI.md "What every task view shows"). */
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
  // Labels from the pinned workflow version, for an api whose view does not carry them yet.
  const labels = useWorkflowLabels(task.stateLabel && task.actions ? undefined : task.workflow, task.workflowVersion);
  const actions: TaskAction[] = task.actions ?? task.allowedActions.map((action) => ({ action, ...labels.action(action, task.state) }));
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/tasks">全部任务</Link> }, { title: task.ref }]} />
      <TaskHeader task={task} stateLabel={task.stateLabel ?? labels.state(task.state) ?? ''} />
      {(task.actions || labels.ready) && <ActionPanel task={task} actions={actions} />}
      <AuditTimeline task={task} labels={labels} />
      <Children task={task} />
      <Attachments task={task} />
    </Space>
  );
}
