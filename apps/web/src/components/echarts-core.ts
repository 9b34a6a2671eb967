import { BarChart, GraphChart, LineChart, TreeChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

/**
 * ECharts with only what Weft's charts use, so the pages load a fraction of
 * the full build (1.15 MB of script before): the line and bar charts of the
 * dashboards and entity pages, the behavior tree, the entity graph; their
 * grid (with its axes), legend, title and tooltip; the canvas renderer
 * (PNG export). A chart option using anything else renders without it and
 * ECharts names the missing component in the console: add it here.
 */
echarts.use([
  BarChart,
  GraphChart,
  LineChart,
  TreeChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export { echarts };
