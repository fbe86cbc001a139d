import { Alert, Card, Grid, List, Table, type TableProps, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { Link } from 'react-router';
import { errorText } from '../../api/problem';
import { LIGHTS } from '../../components/format';
import { type DepartmentSummary, useTaskSummary } from '../../hooks/supervision';
import type { TaskQuery } from '../../hooks/tasks';
import { paramsFromQuery } from '../tasks/filters';

type Count = Exclude<keyof DepartmentSummary, 'departmentId' | 'departmentName'>;

/**
 * The counts of the 督办台, each with the /tasks filters that list the same tasks: open tasks of
 * the department, by light, overdue, by card. Colours from the task views' own lights.
 */
const COUNTS: { key: Count; label: string; color?: string; filter: Partial<TaskQuery> }[] = [
  { key: 'open', label: '在办', filter: {} },
  { key: 'red', label: '红灯', color: LIGHTS.red.color, filter: { light: 'red' } },
  { key: 'yellow', label: '黄灯', color: LIGHTS.yellow.color, filter: { light: 'yellow' } },
  { key: 'green', label: '绿灯', color: LIGHTS.green.color, filter: { light: 'green' } },
  { key: 'overdue', label: '已逾期', color: LIGHTS.red.color, filter: { overdue: true } },
  { key: 'yellowCards', label: '黄牌', color: LIGHTS.yellow.color, filter: { card: 'yellow' } },
  { key: 'redCards', label: '红牌', color: LIGHTS.red.color, filter: { card: 'red' } },
];

/** The /tasks URL listing the open tasks a count counts (the summary counts a task for its primary lead department). */
export function countLink(departmentId: string, filter: Partial<TaskQuery>): string {
  return `/tasks?${paramsFromQuery({ primaryDepartmentId: departmentId, open: true, ...filter }).toString()}`;
}

function CountLink({ row, count }: { row: DepartmentSummary; count: (typeof COUNTS)[number] }) {
  const n = row[count.key];
  return (
    <span data-testid={`count-${count.key}`}>
      {n === 0 ? (
        <Typography.Text type="secondary">0</Typography.Text>
      ) : (
        <Link
          to={countLink(row.departmentId, count.filter)}
          aria-label={`${row.departmentName}${count.label} ${n} 项`}
          style={{ color: count.color, fontWeight: 600 }}
        >
          {n}
        </Link>
      )}
    </span>
  );
}

/** Per supervised department, the open tasks by light, overdue and card (GET /tasks/summary): a table, or cards on a phone. */
export function SummaryCounts() {
  const summary = useTaskSummary();
  const screens = Grid.useBreakpoint();
  if (summary.isError) return <Alert type="error" showIcon title={`无法读取督办统计：${errorText(summary.error)}`} />;
  const rows = summary.data?.items ?? [];
  return (
    <Card title="督办单位在办任务" size="small" styles={{ body: { padding: screens.md ? 0 : 8 } }}>
      {screens.md ? (
        <SummaryTable rows={rows} totals={summary.data?.totals} loading={summary.isPending} />
      ) : (
        <SummaryCards rows={rows} loading={summary.isPending} />
      )}
    </Card>
  );
}

function SummaryTable({ rows, totals, loading }: { rows: DepartmentSummary[]; totals?: Record<Count, number>; loading: boolean }) {
  const columns: TableProps<DepartmentSummary>['columns'] = [
    { title: '单位', dataIndex: 'departmentName', key: 'name' },
    ...COUNTS.map((c) => ({
      title: c.label,
      key: c.key,
      width: 84,
      align: 'right' as const,
      render: (_: unknown, row: DepartmentSummary) => <CountLink row={row} count={c} />,
    })),
  ];
  return (
    <Table<DepartmentSummary>
      rowKey="departmentId"
      size="middle"
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={false}
      locale={{ emptyText: '没有督办的单位，或这些单位暂无在办任务' }}
      onRow={(row) => ({ 'data-testid': `summary-${row.departmentId}` }) as HTMLAttributes<HTMLElement>}
      summary={() =>
        totals && rows.length > 1 ? (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <strong>合计</strong>
            </Table.Summary.Cell>
            {COUNTS.map((c, i) => (
              <Table.Summary.Cell key={c.key} index={i + 1} align="right">
                <strong>{totals[c.key]}</strong>
              </Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        ) : null
      }
    />
  );
}

function SummaryCards({ rows, loading }: { rows: DepartmentSummary[]; loading: boolean }) {
  return (
    <List<DepartmentSummary>
      loading={loading}
      dataSource={rows}
      locale={{ emptyText: '没有督办的单位，或这些单位暂无在办任务' }}
      renderItem={(row) => (
        <List.Item key={row.departmentId} data-testid={`summary-${row.departmentId}`} style={{ display: 'block' }}>
          <Typography.Text strong>{row.departmentName}</Typography.Text>
          {/* Four counts a line, aligned in columns from one department to the next. */}
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', gap: '4px 8px', marginTop: 4 }}>
            {COUNTS.map((c) => (
              <span key={c.key} style={{ whiteSpace: 'nowrap' }}>
                <Typography.Text type="secondary">{c.label} </Typography.Text>
                <CountLink row={row} count={c} />
              </span>
            ))}
          </div>
        </List.Item>
      )}
    />
  );
}
