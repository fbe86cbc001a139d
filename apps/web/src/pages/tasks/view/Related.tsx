import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, List, Progress, Space, Typography, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorText } from '../../../api/problem';
import type { Task } from '../../../api/types';
import { formatMoment, formatSize } from '../../../components/format';
import { CardTag, Light, StateTag } from '../../../components/TaskBadges';
import { useNames } from '../../../hooks/names';
import { labelled, useTaskUploads } from './ReplyFields';
import { downloadAttachment, useTaskAttachments, useTasks } from '../../../hooks/tasks';

/** The children of a task (分解/下发), each with its light and progress; nothing when it has none. */
export function Children({ task }: { task: Task }) {
  const children = useTasks({ parentId: task.id, limit: 100 });
  const names = useNames();
  const items = children.data?.items ?? [];
  if (items.length === 0) return null;
  const summary = task.children;
  return (
    <Card
      title={`下级任务（${children.data?.total ?? items.length}）`}
      size="small"
      extra={summary && <Typography.Text type="secondary">{`红 ${summary.red} · 黄 ${summary.yellow} · 绿 ${summary.green}`}</Typography.Text>}
    >
      <List<Task>
        dataSource={items}
        renderItem={(child) => (
          <List.Item key={child.id}>
            <Space orientation="vertical" size={2} style={{ width: '100%' }}>
              <Space size={8} wrap>
                <Light light={child.light} />
                <Link to={`/tasks/${child.id}`}>
                  {child.ref} {child.title}
                </Link>
                <CardTag card={child.card} />
                <StateTag task={child} />
              </Space>
              <Space size={8} wrap>
                <Typography.Text type="secondary">{child.owners.map((o) => names.department(o)).join('、')}</Typography.Text>
                <Progress aria-label={`${child.ref} 进度`} percent={child.progress ?? 0} size="small" style={{ width: 160, margin: 0 }} />
              </Space>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

/**
 * Adds files to the task (佐证材料) with each one's progress; an uploaded file joins the list below
 * (and the timeline, as 上传附件), a refused one stays with the api's reason, one over the size limit is not sent.
 */
function UploadButton({ task }: { task: Task }) {
  const uploads = useTaskUploads(task.id);
  const [files, setFiles] = useState<UploadFile[]>([]);
  return (
    <Upload
      {...uploads}
      fileList={files}
      onChange={({ fileList }) =>
        // Done files are listed by the card itself; the ones on their way or refused stay here.
        setFiles(fileList.filter((f) => f.status !== 'done').map(labelled))
      }
    >
      <Button size="small" icon={<UploadOutlined />}>
        上传附件
      </Button>
    </Upload>
  );
}

/** The task's files with their size and time, each downloadable; more may be uploaded. */
export function Attachments({ task }: { task: Task }) {
  const attachments = useTaskAttachments(task.id);
  const { message } = App.useApp();
  const items = attachments.data?.items ?? [];
  return (
    <Card title={`附件（${items.length}）`} size="small">
      <UploadButton task={task} />
      <List
        dataSource={items}
        locale={{ emptyText: '暂无附件' }}
        renderItem={(a) => (
          <List.Item
            key={a.id}
            actions={[
              <Button key="download" type="link" onClick={() => void downloadAttachment(a).catch((err: unknown) => void message.error(errorText(err)))}>
                下载
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={<span style={{ overflowWrap: 'anywhere' }}>{a.name}</span>}
              description={`${formatSize(a.size)} · ${formatMoment(a.createdAt, task.timezone)}`}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
