import { Card, Col, Row, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { getToken } from '../../api/session';

interface Entry {
  title: string;
  what: string;
  /** A console route, or the queue board (served by the api, outside the console). */
  to: string;
  external?: boolean;
}

/** What administration covers (UI.md `/admin/...`), each linked to its page. */
const ENTRIES: Entry[] = [
  { title: '单位与用户', what: '维护单位（含督办关系、别名）和用户账号、角色，停用账号。', to: '/admin/departments' },
  { title: '工作日历', what: '节假日与调休，导入新一年的日历。', to: '/admin/calendars' },
  { title: '流程配置', what: '校验、发布工作流程（状态、时限、提醒、升级督办）。', to: '/admin/workflows' },
  { title: '工作要点导入', what: '粘贴工作要点，核对牵头单位和期限后导入为任务。', to: '/admin/plans/import' },
  { title: 'Webhook 订阅', what: '把任务事件推送到其他系统，查看投递记录。', to: '/admin/webhooks' },
  { title: '工作计划', what: '已导入计划的办理进度与红黄绿灯。', to: '/plans' },
  { title: '统计报表', what: '各单位按时办结率、满意率等指标与通报下载。', to: '/reports' },
  { title: '全部任务', what: '按单位、状态、红黄绿灯、牌筛选全部任务。', to: '/tasks' },
  { title: '队列监控', what: '后台任务队列（定时器、事件、Webhook、邮件）的运行情况。', to: '/admin/queues', external: true },
];

/** `/admin`: an admin's home, listing what administration covers and linking what exists. */
export default function AdminPage() {
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        系统管理
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {ENTRIES.map((e) => (
          <Col key={e.title} xs={24} sm={12} lg={8}>
            <Card size="small" title={<EntryTitle entry={e} />} style={{ height: '100%' }}>
              <Typography.Paragraph style={{ margin: 0 }}>{e.what}</Typography.Paragraph>
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}

function EntryTitle({ entry }: { entry: Entry }) {
  // The queue board is a page of the api: it takes the token once in the URL and keeps it in a cookie of its own path.
  if (entry.external)
    return (
      <a href={`${entry.to}?access_token=${encodeURIComponent(getToken() ?? '')}`} target="_blank" rel="noreferrer">
        {entry.title}
      </a>
    );
  return <Link to={entry.to}>{entry.title}</Link>;
}
