import type { EChartsOption } from 'echarts';

/**
 * How long Weft's charts animate when they appear or change, in ms.
 * ECharts' defaults (1,000 ms, 700 ms for a tree) keep an operator waiting
 * on the behavior tree and a manager on the dashboard for the motion, not
 * the data: in the browser bench they were most of the time from a click to
 * a finished chart (apps/web README, "Benchmark").
 */
export const CHART_ANIMATION_MS = 200;

/**
 * The option with short entry and update animations, on the chart and on
 * every series (a tree series has its own default); what the option sets
 * itself wins (`animation: false` stays off).
 *
 * @example withShortAnimations({ series: [{ type: 'tree', data }] }).series // [{ animationDuration: 200, animationDurationUpdate: 200, type: 'tree', data }]
 */
export function withShortAnimations(option: EChartsOption): EChartsOption {
  const short = {
    animationDuration: CHART_ANIMATION_MS,
    animationDurationUpdate: CHART_ANIMATION_MS,
  };
  const { series } = option;
  return {
    ...short,
    ...option,
    ...(series === undefined
      ? {}
      : {
          series: (Array.isArray(series) ? series : [series]).map((s) => ({ ...short, ...s })),
        }),
  } as EChartsOption;
}
