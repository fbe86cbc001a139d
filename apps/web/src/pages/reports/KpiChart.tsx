import { Skeleton } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { DepartmentKpis } from '../../hooks/reports';

/** A rate 0–1 as a percent with one decimal for the chart, or '-' (no bar) when nothing was counted. */
const chartPercent = (rate: number | null) => (rate === null ? '-' : Math.round(rate * 1000) / 10);

const ROW_HEIGHT = 44;

/**
 * 按时办结率 and 满意率 by department as horizontal bars (department names stay readable on a
 * phone however many there are), in rank order. ECharts is fetched when this chart first shows.
 */
export function KpiChart({ rows, name }: { rows: DepartmentKpis[]; name: (row: DepartmentKpis) => string }) {
  const container = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const height = 80 + rows.length * ROW_HEIGHT;
  useEffect(() => {
    let disposed = false;
    let chart: { setOption: (o: object) => void; resize: () => void; dispose: () => void } | undefined;
    let observer: ResizeObserver | undefined;
    void import('./echarts').then(({ echarts }) => {
      if (disposed || !container.current) return;
      chart = echarts.init(container.current, undefined, { renderer: 'canvas' });
      // Ranked first at the top: a category axis draws its first entry at the bottom.
      const ordered = [...rows].reverse();
      chart.setOption({
        color: ['#1677ff', '#52c41a'],
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v}%` : '—') },
        legend: { top: 0 },
        grid: { left: 8, right: 32, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
        yAxis: { type: 'category', data: ordered.map(name), axisLabel: { width: 110, overflow: 'truncate' } },
        series: [
          {
            name: '按时办结率',
            type: 'bar',
            data: ordered.map((r) => chartPercent(r.onTimeRate)),
            label: { show: true, position: 'right', formatter: '{c}%' },
          },
          {
            name: '满意率',
            type: 'bar',
            data: ordered.map((r) => chartPercent(r.satisfactionRate)),
            label: { show: true, position: 'right', formatter: '{c}%' },
          },
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
  }, [rows, name]);
  return (
    <>
      {!ready && <Skeleton active paragraph={{ rows: 4 }} />}
      <div ref={container} role="img" aria-label="各单位按时办结率与满意率柱状图" data-testid="kpi-chart" style={{ width: '100%', height }} />
    </>
  );
}
