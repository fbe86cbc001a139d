import { Alert, Button, Card, Flex, Grid, List, Progress, Space, Table, type TableProps, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { errorText } from '../../api/problem';
import { useMe } from '../../hooks/auth';
import { type PlanSummary, usePlans } from '../../hooks/plans';
import { useNames } from '../../hooks/names';

const PAGE_SIZE = 20;

/** Share of a plan's tasks closed, as a whole percent. */
const donePercent = (p: PlanSummary) => (p.taskCount === 0 ? 0 : Math.round((p.closedCount / p.taskCount) * 100));

/** `/plans`: the plans with a task the user may see, newest year first, each with its share done. */
export default function PlansPage() {
  const [page, setPage] = useState(1);
  const plans = usePlans(page, PAGE_SIZE);
  const screens = Grid.useBreakpoint();
  const me = useMe();
  const navigate = useNavigate();
  const props = { plans: plans.data?.items ?? [], loading: plans.isFetching, total: plans.data?.total ?? 0, page, onPage: setPage };
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Flex wrap gap={8} justify="space-between" align="center">
        <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
          工作计划
        </Typography.Title>
        {me.data?.roles.includes('admin') && (
          <Button type="primary" onClick={() => void navigate('/admin/plans/import')}>
            导入工作要点
          </Button>
        )}
      </Flex>
      {plans.isError && <Alert type="error" showIcon title={errorText(plans.error)} />}
      {screens.md ? <PlanTable {...props} /> : <PlanCards {...props} />}
    </Space>
  );
}

interface ListProps {
  plans: PlanSummary[];
  loading: boolean;
  total: number;
  page: number;
  onPage: (page: number) => void;
}

function PlanTable({ plans, loading, total, page, onPage }: ListProps) {
  const names = useNames();
  const columns: TableProps<PlanSummary>['columns'] = [
    { title: '计划', key: 'title', render: (_, p) => <Link to={`/plans/${p.id}`}>{p.title}</Link> },
    { title: '年度', dataIndex: 'year', key: 'year', width: 80 },
    { title: '类型', key: 'workflow', width: 140, render: (_, p) => names.workflow({ workflow: p.workflow }) },
    { title: '事项', dataIndex: 'itemCount', key: 'items', width: 80, align: 'right' },
    { title: '任务（含下发）', key: 'tasks', width: 130, align: 'right', render: (_, p) => `${p.closedCount} / ${p.taskCount} 已办结` },
    { title: '办结进度', key: 'done', width: 200, render: (_, p) => <Progress percent={donePercent(p)} size="small" aria-label={`${p.title}办结进度`} /> },
  ];
  return (
    <Table<PlanSummary>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={plans}
      loading={loading}
      locale={{ emptyText: '暂无工作计划' }}
      pagination={{ current: page, pageSize: PAGE_SIZE, total, onChange: onPage, hideOnSinglePage: true, showTotal: (n) => `共 ${n} 项` }}
    />
  );
}

function PlanCards({ plans, loading, total, page, onPage }: ListProps) {
  return (
    <List<PlanSummary>
      loading={loading}
      dataSource={plans}
      locale={{ emptyText: '暂无工作计划' }}
      pagination={total > PAGE_SIZE ? { current: page, pageSize: PAGE_SIZE, total, onChange: onPage, size: 'small', simple: true, align: 'center' } : false}
      renderItem={(p) => (
        <List.Item key={p.id} style={{ padding: '6px 0', borderBlockEnd: 'none' }}>
          <Card size="small" style={{ width: '100%' }}>
            <Link to={`/plans/${p.id}`} style={{ fontWeight: 500 }}>
              {p.title}
            </Link>
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0' }}>
              {p.year}年 · {p.itemCount} 个事项 · {p.closedCount} / {p.taskCount} 个任务已办结
            </Typography.Paragraph>
            <Progress percent={donePercent(p)} size="small" aria-label={`${p.title}办结进度`} />
          </Card>
        </List.Item>
      )}
    />
  );
}
