import { Alert, Breadcrumb, Card, Grid, List, Space, Table, type TableProps, Typography } from 'antd';
import { Link } from 'react-router';
import { errorText } from '../../api/problem';
import { formatMoment } from '../../components/format';
import { useWorkflows } from '../../hooks/workflows';

type WorkflowSummary = NonNullable<ReturnType<typeof useWorkflows>['data']>['items'][number];

/** `/admin/workflows`: every workflow with its latest version, each opening its diagram, editor and history. */
export default function WorkflowsPage() {
  const workflows = useWorkflows();
  const screens = Grid.useBreakpoint();
  const items = workflows.data?.items ?? [];
  const columns: TableProps<WorkflowSummary>['columns'] = [
    { title: '流程', key: 'name', render: (_, w) => <Link to={`/admin/workflows/${encodeURIComponent(w.key)}`}>{w.name}</Link> },
    { title: '最新版本', key: 'version', width: 120, render: (_, w) => `第 ${w.version} 版` },
    { title: '发布时间', key: 'at', width: 200, render: (_, w) => formatMoment(w.publishedAt) },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Breadcrumb items={[{ title: <Link to="/admin">系统管理</Link> }, { title: '流程配置' }]} />
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        流程配置
      </Typography.Title>
      {workflows.isError && <Alert type="error" showIcon title={errorText(workflows.error)} />}
      {screens.md ? (
        <Table<WorkflowSummary>
          rowKey="key"
          size="middle"
          columns={columns}
          dataSource={items}
          loading={workflows.isPending}
          pagination={false}
          locale={{ emptyText: '暂无流程' }}
        />
      ) : (
        <List<WorkflowSummary>
          loading={workflows.isPending}
          dataSource={items}
          locale={{ emptyText: '暂无流程' }}
          renderItem={(w) => (
            <List.Item key={w.key} style={{ padding: '6px 0', borderBlockEnd: 'none' }}>
              <Card size="small" style={{ width: '100%' }}>
                <Link to={`/admin/workflows/${encodeURIComponent(w.key)}`} style={{ fontWeight: 500 }}>
                  {w.name}
                </Link>
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
                  第 {w.version} 版 · {formatMoment(w.publishedAt)} 发布
                </Typography.Paragraph>
              </Card>
            </List.Item>
          )}
        />
      )}
    </Space>
  );
}
