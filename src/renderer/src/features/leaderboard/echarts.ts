/**
 * The one place echarts is imported: only the charts, components and renderers the leaderboard
 * draws, so the bundle stays small and everything works offline.
 */
import * as echarts from 'echarts/core';
import { BarChart, CustomChart, ScatterChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, TitleComponent } from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, CustomChart, ScatterChart, LineChart, GridComponent, LegendComponent, TooltipComponent, TitleComponent, CanvasRenderer, SVGRenderer]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;
