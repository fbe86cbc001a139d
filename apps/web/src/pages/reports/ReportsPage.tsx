import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Descriptions, Flex, Grid, List, Space, Table, type TableProps, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useState } from 'react';
import { errorText } from '../../api/problem';
import { useNames } from '../../hooks/names';
import { type DepartmentKpis, downloadBulletin, type Kpis, type Period, useKpis, useStoredBulletins } from '../../hooks/reports';
import { KpiChart } from './KpiChart';
import { daysOf, percentText, periodOf, thisMonth } from './period';

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
      <KpiTable rows={rows} totals={kpis.data?.totals} loading={kpis.isFetching} nameOf={nameOf} />
      {rows.length > 0 && (
        <Card title="按时办结率与满意率" size="small">
          <KpiChart rows={rows} name={nameOf} />
        </Card>
      )}
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

function KpiGrid({ rows, totals, loading, nameOf }: KpiTableProps) {
  const columns: TableProps<DepartmentKpis>['columns'] = [
    { title: '排名', dataIndex: 'rank', key: 'rank', width: 56, align: 'center', fixed: 'start' },
    { title: '单位', key: 'name', width: 170, fixed: 'start', render: (_, r) => nameOf(r) },
    ...FIGURES.map((f) => ({ title: f.title, key: f.key, align: 'right' as const, render: (_: unknown, r: DepartmentKpis) => figureText(r, f) })),
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

function KpiCards({ rows, loading, nameOf }: KpiTableProps) {
  return (
    <List<DepartmentKpis>
      loading={loading}
      dataSource={rows}
      locale={{ emptyText: '该期间没有可统计的任务' }}
      renderItem={(r) => (
        <List.Item key={r.departmentId} data-testid="kpi-row" style={{ display: 'block' }}>
          <Typography.Text strong>
            第 {r.rank} 名 · {nameOf(r)}
          </Typography.Text>
          <Descriptions
            size="small"
            column={2}
            style={{ marginTop: 4 }}
            items={FIGURES.map((f) => ({ key: f.key, label: f.title, children: figureText(r, f) }))}
          />
        </List.Item>
      )}
    />
  );
}

/** The monthly bulletins the api kept (GET /reports/bulletins): each period can be shown and its 通报 downloaded. */
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
          return (
            <List.Item key={b.id} style={{ display: 'block' }}>
              <Flex wrap justify="space-between" align="center" gap={8}>
                <Typography.Text>{b.title}</Typography.Text>
                <Space wrap>
                  <Button onClick={() => onShow(range)}>查看指标</Button>
                  <BulletinButton period={periodOf(range)} label="下载" />
                </Space>
              </Flex>
            </List.Item>
          );
        }}
      />
    </Card>
  );
}
