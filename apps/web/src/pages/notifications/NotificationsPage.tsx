import { Alert, App, Badge, Button, Card, Collapse, List, Segmented, Space, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { errorText } from '../../api/problem';
import type { Notice } from '../../api/types';
import { formatMoment } from '../../components/format';
import { useMarkAllRead, useMarkRead, useNotifications } from '../../hooks/notifications';
import { groupByTask, type NoticeGroup } from './group';

const PAGE_SIZE = 30;

/** `/notifications` 消息: the inbox (未读 filter, 全部已读), grouped by task, each opening its task. */
export default function NotificationsPage() {
  const [params, setParams] = useSearchParams();
  const unread = params.get('unread') === 'true';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const notices = useNotifications({ unread: unread || undefined, page, limit: PAGE_SIZE });
  const markAll = useMarkAllRead();
  const { message } = App.useApp();
  const groups = groupByTask(notices.data?.items ?? []);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        消息
      </Typography.Title>
      <Space wrap>
        <Segmented
          aria-label="消息筛选"
          value={unread ? 'unread' : 'all'}
          options={[
            { value: 'all', label: '全部' },
            { value: 'unread', label: '未读' },
          ]}
          onChange={(value) => setParams(value === 'unread' ? { unread: 'true' } : {})}
        />
        <Button
          loading={markAll.isPending}
          onClick={() =>
            markAll.mutate(undefined, { onSuccess: () => void message.success('已全部标为已读'), onError: (e) => void message.error(errorText(e)) })
          }
        >
          全部已读
        </Button>
      </Space>
      {notices.isError && <Alert type="error" showIcon title={errorText(notices.error)} />}
      <List<NoticeGroup>
        loading={notices.isPending}
        dataSource={groups}
        locale={{ emptyText: unread ? '没有未读消息' : '暂无消息' }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: notices.data?.total ?? 0,
          simple: true,
          align: 'center',
          onChange: (p) => setParams({ ...(unread ? { unread: 'true' } : {}), ...(p > 1 ? { page: String(p) } : {}) }),
        }}
        renderItem={(group) => (
          <List.Item key={group.key} style={{ padding: '6px 0', borderBlockEnd: 'none' }}>
            <NoticeCard group={group} />
          </List.Item>
        )}
      />
    </Space>
  );
}

function NoticeCard({ group }: { group: NoticeGroup }) {
  return (
    <Card size="small" style={{ width: '100%' }}>
      <NoticeLine notice={group.newest} />
      {group.earlier.length > 0 && (
        <Collapse
          ghost
          size="small"
          items={[
            {
              key: 'earlier',
              label: `同一任务的另外 ${group.earlier.length} 条消息`,
              children: (
                <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                  {group.earlier.map((n) => (
                    <NoticeLine key={n.id} notice={n} />
                  ))}
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}

/** One notice: unread mark, title, text, time; opening it marks it read and shows its task. */
function NoticeLine({ notice }: { notice: Notice }) {
  const markRead = useMarkRead();
  const navigate = useNavigate();
  const unread = notice.readAt === null;
  const open = () => {
    if (unread) markRead.mutate(notice.id);
    if (notice.taskId) void navigate(`/tasks/${notice.taskId}`);
  };
  return (
    <Space orientation="vertical" size={2} style={{ width: '100%' }}>
      <Space size={8} align="start">
        {unread && (
          <span role="img" aria-label="未读">
            <Badge status="processing" />
          </span>
        )}
        <Typography.Text strong={unread} style={{ overflowWrap: 'anywhere' }}>
          {notice.title}
        </Typography.Text>
      </Space>
      <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
        {notice.body}
      </Typography.Text>
      <Space size={8} wrap>
        <Typography.Text type="secondary">{formatMoment(notice.createdAt)}</Typography.Text>
        {notice.taskId && (
          <Button type="link" size="small" style={{ padding: 0 }} onClick={open}>
            查看任务
          </Button>
        )}
        {unread && (
          <Button type="link" size="small" style={{ padding: 0 }} loading={markRead.isPending} onClick={() => markRead.mutate(notice.id)}>
            标为已读
          </Button>
        )}
      </Space>
    </Space>
  );
}
