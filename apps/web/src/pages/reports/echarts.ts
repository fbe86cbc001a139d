/**
 * The part of Apache ECharts the reports draw (bar and line charts on a grid, with tooltip and legend,
 * on canvas), registered once. Imported dynamically by the chart alone, so that no other page's
 * bundle carries ECharts (UI.md: loaded only on the pages that draw them).
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
