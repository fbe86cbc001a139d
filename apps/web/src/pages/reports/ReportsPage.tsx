import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Flex, Grid, List, Space, Table, type TableProps, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { errorText } from '../../api/problem';
import { formatMoment, formatPeriod } from '../../components/format';
import { useNames } from '../../hooks/names';
import {
  type DepartmentKpis,
  downloadBulletin,
  downloadStoredBulletin,
  type Kpis,
  type Period,
  type StoredBulletin,
  useKpis,
  useStoredBulletins,
} from '../../hooks/reports';
import { paramsFromQuery } from '../tasks/filters';
import { KpiChart } from './KpiChart';
import { daysOf, percentText, periodOf, thisMonth } from './period';
import { TrendCard } from './TrendCard';

/** Working days with one decimal, or — when no task was closed. */
const daysText = (days: number | null) => (days === null ? '—' : `${days.toFixed(1)}`);

/** The KPI columns in the bureaus' order (DOMAIN.md "What is measured"). */
const FIGURES: { key: keyof Kpis; title: string; rate?: boolean; days?: boolean }[] = [
  { key: 'created', title: '新建' },
  { key: 'closed', title: '办结' },
  { key: 'closedOnTime', title: '按时办结' },
  { key: 'onTimeRate', title: '按时办结率', rate: true },
  { key: 'earlyRate', title: '提前办结率', rate: true },
  { key: 'avgHandlingWorkingDays', title: '平均处理时长（工作日）', days: true },
  { key: 'acceptedOnTimeRate', title: '签收及时率', rate: true },
  { key: 'satisfactionRate', title: '满意率', rate: true },
  { key: 'yellowCards', title: '黄牌' },
  { key: 'redCards', title: '红牌' },
  { key: 'extensions', title: '延期' },
  { key: 'returns', title: '退单' },
  { key: 'overdueOpen', title: '逾期未办结' },
];

function figureText(kpis: Kpis, figure: (typeof FIGURES)[number]): string {
  const value = kpis[figure.key];
  if (figure.rate) return percentText(value);
  if (figure.days) return daysText(value);
  return String(value ?? '—');
}

/**
 * The /tasks list of what a department's row counts for the period: the tasks it leads first
 * (主要牵头单位, as the KPIs count them) closed in the period (按时办结率 and 满意率 are over them),
 * or created in it (新建).
 */
export function rowTasksLink(departmentId: string, period: Period, counted: 'closed' | 'created'): string {
  const bounds = counted === 'closed' ? { closedFrom: period.from, closedTo: period.to } : { createdFrom: period.from, createdTo: period.to };
  return `/tasks?${paramsFromQuery({ primaryDepartmentId: departmentId, ...bounds }).toString()}`;
}

/** `/reports`: the KPIs of a period (this month in Asia/Shanghai unless chosen), ranked, charted, and the 通报 to download. */
export default function ReportsPage() {
  const [range, setRange] = useState<[Dayjs, Dayjs]>(thisMonth);
  const period = periodOf(range);
  const kpis = useKpis(period);
  const names = useNames();
  const nameOf = useCallback((row: DepartmentKpis) => row.departmentName ?? names.departmentById(row.departmentId), [names]);
  const rows = [...(kpis.data?.byDepartment ?? [])].sort((a, b) => a.rank - b.rank);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>
        统计报表
      </Typography.Title>
      <Flex wrap gap={8} align="center">
        <DatePicker.RangePicker
          aria-label="统计期间"
          value={range}
          allowClear={false}
          onChange={(dates) => dates?.[0] && dates[1] && setRange([dates[0], dates[1]])}
          presets={[
            { label: '本月', value: thisMonth() },
            { label: '上月', value: [thisMonth()[0].subtract(1, 'month'), thisMonth()[0].subtract(1, 'day')] },
            { label: '本年', value: [thisMonth()[0].startOf('year'), thisMonth()[0].endOf('year').startOf('day')] },
          ]}
          style={{ width: 260, maxWidth: '100%' }}
        />
        <BulletinButton period={period} label="下载通报（XLSX）" primary />
      </Flex>
      {kpis.isError && <Alert type="error" showIcon title={errorText(kpis.error)} />}
      <KpiTable rows={rows} totals={kpis.data?.totals} loading={kpis.isFetching} nameOf={nameOf} period={period} />
      {rows.length > 0 && (
        <Card title="按时办结率与满意率" size="small">
          {/* Rates are over the tasks closed in the period: with none closed, bars would be an empty frame. */}
          {rows.some((r) => r.onTimeRate !== null || r.satisfactionRate !== null) ? (
            <KpiChart rows={rows} name={nameOf} />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本期尚无办结的任务，暂无按时办结率和满意率。" />
          )}
        </Card>
      )}
      <TrendCard />
      <StoredBulletins onShow={setRange} />
    </Space>
  );
}

function BulletinButton({ period, label, primary }: { period: Period; label: string; primary?: boolean }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await downloadBulletin(period);
    } catch (err) {
      void message.error(`通报下载失败：${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button type={primary ? 'primary' : 'default'} icon={<DownloadOutlined />} loading={busy} onClick={() => void download()}>
      {label}
    </Button>
  );
}

interface KpiTableProps {
  rows: DepartmentKpis[];
  totals?: Kpis;
  loading: boolean;
  nameOf: (row: DepartmentKpis) => string;
  period: Period;
}

/** The department's name, opening the tasks it closed in the period. */
function DepartmentLink({ row, name, period }: { row: DepartmentKpis; name: string; period: Period }) {
  return (
    <Link to={rowTasksLink(row.departmentId, period, 'closed')} title={`查看${name}${formatPeriod(period.from, period.to)}办结的任务`}>
      {name}
    </Link>
  );
}

/** The 新建 count, opening the tasks the department leads created in the period. */
function CreatedLink({ row, name, period }: { row: DepartmentKpis; name: string; period: Period }) {
  if (row.created === 0) return <>0</>;
  return (
    <Link to={rowTasksLink(row.departmentId, period, 'created')} aria-label={`${name}新建 ${row.created} 项`}>
      {row.created}
    </Link>
  );
}

function figureCell(row: DepartmentKpis, figure: (typeof FIGURES)[number], name: string, period: Period) {
  return figure.key === 'created' ? <CreatedLink row={row} name={name} period={period} /> : figureText(row, figure);
}

/** The ranked figures: a table on a desk, a card per department on a phone. */
function KpiTable(props: KpiTableProps) {
  const screens = Grid.useBreakpoint();
  return (
    <Card title="各单位指标" size="small" styles={{ body: { padding: screens.md ? 0 : 8 } }}>
      {screens.md ? <KpiGrid {...props} /> : <KpiCards {...props} />}
    </Card>
  );
}

function KpiGrid({ rows, totals, loading, nameOf, period }: KpiTableProps) {
  const columns: TableProps<DepartmentKpis>['columns'] = [
    { title: '排名', dataIndex: 'rank', key: 'rank', width: 56, align: 'center', fixed: 'start' },
    { title: '单位', key: 'name', width: 170, fixed: 'start', render: (_, r) => <DepartmentLink row={r} name={nameOf(r)} period={period} /> },
    ...FIGURES.map((f) => ({
      title: f.title,
      key: f.key,
      align: 'right' as const,
      render: (_: unknown, r: DepartmentKpis) => figureCell(r, f, nameOf(r), period),
    })),
  ];
  return (
    <Table<DepartmentKpis>
      rowKey="departmentId"
      size="small"
      columns={columns}
      dataSource={rows}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: '该期间没有可统计的任务' }}
      summary={() =>
        totals && rows.length > 1 ? (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={2}>
              <strong>合计</strong>
            </Table.Summary.Cell>
            {FIGURES.map((f, i) => (
              <Table.Summary.Cell key={f.key} index={i + 2} align="right">
                <strong>{figureText(totals, f)}</strong>
              </Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        ) : null
      }
    />
  );
}

function KpiCards({ rows, loading, nameOf, period }: KpiTableProps) {
  return (
    <List<DepartmentKpis>
      loading={loading}
      dataSource={rows}
      locale={{ emptyText: '该期间没有可统计的任务' }}
      renderItem={(r) => (
        <List.Item key={r.departmentId} data-testid="kpi-row" style={{ display: 'block' }}>
          <Typography.Text strong>
            第 {r.rank} 名 · <DepartmentLink row={r} name={nameOf(r)} period={period} />
          </Typography.Text>
          <Descriptions
            size="small"
            column={2}
            style={{ marginTop: 4 }}
            items={FIGURES.map((f) => ({ key: f.key, label: f.title, children: figureCell(r, f, nameOf(r), period) }))}
          />
        </List.Item>
      )}
    />
  );
}

/** The monthly bulletins the api kept (GET /reports/bulletins): each with its period, its figures shown, its file as published. */
function StoredBulletins({ onShow }: { onShow: (range: [Dayjs, Dayjs]) => void }) {
  const bulletins = useStoredBulletins();
  if (bulletins.isError) return <Alert type="warning" showIcon title={`无法读取已发布的通报：${errorText(bulletins.error)}`} />;
  return (
    <Card title="已发布的月度通报" size="small">
      <List
        loading={bulletins.isPending}
        dataSource={bulletins.data ?? []}
        locale={{ emptyText: '暂无已发布的月度通报（每月初自动生成上月通报）' }}
        renderItem={(b) => {
          const range = daysOf(b.from, b.to);
          const period = periodOf(range);
          return (
            <List.Item key={b.id} data-testid="stored-bulletin" style={{ display: 'block' }}>
              <Flex wrap justify="space-between" align="center" gap={8}>
                <Space orientation="vertical" size={0}>
                  <Typography.Text>{b.title}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                    统计期间 {formatPeriod(period.from, period.to)} · 发布于 {formatMoment(b.createdAt)}
                  </Typography.Text>
                </Space>
                <Space wrap>
                  <Button onClick={() => onShow(range)} aria-label={`查看指标：${b.title}`}>
                    查看指标
                  </Button>
                  <StoredBulletinButton bulletin={b} />
                </Space>
              </Flex>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}

/** The bulletin's XLSX as it was published (its figures then), not today's figures for its period. */
function StoredBulletinButton({ bulletin }: { bulletin: StoredBulletin }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      await downloadStoredBulletin(bulletin);
    } catch (err) {
      void message.error(`通报下载失败：${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void download()} aria-label={`下载${bulletin.title}（XLSX）`}>
      下载
    </Button>
  );
}
