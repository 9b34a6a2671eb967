'use client';

import type { EChartsOption } from 'echarts';
import type { EChartsReactProps } from 'echarts-for-react';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { echarts } from './echarts-core';
import { forwardRef, useMemo, useRef } from 'react';
import { withShortAnimations } from './chart-animation';

type ChartState = 'drawn' | 'finished';

// Set on the element directly: a state change would re-render the chart it describes.
function markChart(box: HTMLDivElement | null, state: ChartState): void {
  if (box && box.dataset.chartState !== 'finished') box.dataset.chartState = state;
}

/**
 * The one ECharts wrapper: renders a prepared option and nothing else (no
 * data decisions here), with short animations (`withShortAnimations`), on
 * the trimmed ECharts of `echarts-core.ts`. Canvas renderer, so charts
 * export as PNG.
 *
 * Its box says how far the first render got, for tests and the browser
 * bench to wait on: `data-chart-state="drawn"` once the first frame is on
 * the canvas (`setOption` draws it synchronously; entry animations start
 * from there), `"finished"` once ECharts reports that render `finished`
 * (drawn and its animations over). Later renders do not reset it.
 *
 * @example <EChart option={option} height={300} label="Session volume" />
 */
export const EChart = forwardRef<
  ReactEChartsCore,
  { option: EChartsOption; height: number; onEvents?: EChartsReactProps['onEvents']; label: string }
>(function EChart({ option, height, onEvents, label }, ref) {
  const box = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => withShortAnimations(option), [option]);
  const events = useMemo<EChartsReactProps['onEvents']>(
    () => ({
      ...onEvents,
      finished: (...args: unknown[]) => {
        markChart(box.current, 'finished');
        onEvents?.finished?.(...args);
      },
    }),
    [onEvents],
  );
  return (
    <div role="img" aria-label={label} ref={box}>
      <ReactEChartsCore
        ref={ref}
        echarts={echarts}
        option={shown}
        style={{ height, width: '100%' }}
        notMerge
        opts={{ renderer: 'canvas' }}
        onEvents={events}
        // Events are bound after the first setOption: a chart without animations has
        // already finished by then, and ECharts will not say so again until it redraws.
        onChartReady={(chart) =>
          markChart(box.current, chart.getZr().animation.isFinished() ? 'finished' : 'drawn')
        }
      />
    </div>
  );
});
