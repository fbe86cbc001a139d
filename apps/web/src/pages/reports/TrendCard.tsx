import { Alert, Card, Skeleton, Table, type TableProps, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../../api/problem';
import { type TrendMonth, useTrend } from '../../hooks/reports';
import { percentText } from './period';

/** `2026年1月` for the api's `2026-01`. */
export const monthText = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

/** A rate 0–1 as a percent with one decimal for the chart, or '-' (no point) when nothing was counted. */
const chartPercent = (rate: number | null) => (rate === null ? '-' : Math.round(rate * 1000) / 10);

/**
 * 按时办结率 and 满意率 as lines (left axis, %) and 逾期未办结 as bars (right axis, tasks) over the
 * last twelve months (GET /reports/trend), with the same figures in a table below: the canvas is a
 * picture, the table is what a screen reader and a clerk copying figures read.
 */
export function TrendCard() {
  const trend = useTrend();
  const months = trend.data?.months ?? [];
  return (
    <Card title="近12个月趋势" size="small">
      {trend.isError ? (
        <Alert type="error" showIcon title={`无法读取趋势：${errorText(trend.error)}`} />
      ) : trend.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <>
          <TrendChart months={months} />
          <TrendTable months={months} />
        </>
      )}
    </Card>
  );
}

function TrendChart({ months }: { months: TrendMonth[] }) {
  const container = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let disposed = false;
    let chart: { setOption: (o: object) => void; resize: () => void; dispose: () => void } | undefined;
    let observer: ResizeObserver | undefined;
    void import('./echarts').then(({ echarts }) => {
      if (disposed || !container.current) return;
      chart = echarts.init(container.current, undefined, { renderer: 'canvas' });
      const rate = {
        type: 'line',
        yAxisIndex: 0,
        connectNulls: false,
        symbolSize: 6,
        tooltip: { valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '—') },
      };
      chart.setOption({
        color: ['#1677ff', '#52c41a', '#cf1322'],
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: months.map((m) => monthText(m.month)), axisLabel: { hideOverlap: true } },
        yAxis: [
          { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
          { type: 'value', minInterval: 1, splitLine: { show: false } },
        ],
        series: [
          { ...rate, name: '按时办结率', data: months.map((m) => chartPercent(m.onTimeRate)) },
          { ...rate, name: '满意率', data: months.map((m) => chartPercent(m.satisfactionRate)) },
          { name: '逾期未办结', type: 'bar', yAxisIndex: 1, barMaxWidth: 18, data: months.map((m) => m.overdueOpen) },
        ],
      });
      observer = new ResizeObserver(() => chart?.resize());
      observer.observe(container.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart?.dispose();
    };
  }, [months]);
  return (
    <>
      {!ready && <Skeleton active paragraph={{ rows: 4 }} />}
      <div
        ref={container}
        role="img"
        aria-label="近12个月按时办结率、满意率折线与逾期未办结柱状图，数据见下表"
        data-testid="trend-chart"
        style={{ width: '100%', height: 300 }}
      />
    </>
  );
}

function TrendTable({ months }: { months: TrendMonth[] }) {
  const columns: TableProps<TrendMonth>['columns'] = [
    // A month and 办结 stay on one line; the longer headers wrap on a phone so that the five columns fit.
    { title: '月份', key: 'month', render: (_, m) => <span style={{ whiteSpace: 'nowrap' }}>{monthText(m.month)}</span> },
    { title: <span style={{ whiteSpace: 'nowrap' }}>办结</span>, dataIndex: 'closed', key: 'closed', align: 'right' },
    { title: '按时办结率', key: 'onTimeRate', align: 'right', render: (_, m) => percentText(m.onTimeRate) },
    { title: '满意率', key: 'satisfactionRate', align: 'right', render: (_, m) => percentText(m.satisfactionRate) },
    { title: '逾期未办结', dataIndex: 'overdueOpen', key: 'overdueOpen', align: 'right' },
  ];
  return (
    <>
      <Table<TrendMonth>
        rowKey="month"
        size="small"
        data-testid="trend-table"
        columns={columns}
        dataSource={[...months].reverse()}
        pagination={false}
        style={{ marginTop: 8 }}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 13 }}>
        办结、按时办结率、满意率按当月办结的任务计；逾期未办结为月末仍未办结且已过办理期限的任务数，本月截至当前。
      </Typography.Paragraph>
    </>
  );
}
