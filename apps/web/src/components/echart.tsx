'use client';

import type { EChartsOption } from 'echarts';
import ReactECharts from 'echarts-for-react';
import type { EChartsReactProps } from 'echarts-for-react';
import { forwardRef } from 'react';

/**
 * The one ECharts wrapper: renders a prepared option and nothing else (no
 * data decisions here). Canvas renderer, so charts export as PNG.
 */
export const EChart = forwardRef<
  ReactECharts,
  { option: EChartsOption; height: number; onEvents?: EChartsReactProps['onEvents']; label: string }
>(function EChart({ option, height, onEvents, label }, ref) {
  return (
    <div role="img" aria-label={label}>
      <ReactECharts
        ref={ref}
        option={option}
        style={{ height, width: '100%' }}
        notMerge
        opts={{ renderer: 'canvas' }}
        onEvents={onEvents}
      />
    </div>
  );
});
