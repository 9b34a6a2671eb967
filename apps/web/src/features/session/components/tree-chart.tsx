'use client';

import { EChart } from '@/components/echart';
import type { BehaviorTreeView } from '../lib/behavior-tree';
import { STATUS_COLORS, treeChartOption } from '../lib/tree-chart';

export function TreeChart({ view }: { view: BehaviorTreeView }) {
  const height = Math.max(260, view.nodes.length * 56);
  return (
    <>
      <EChart
        option={treeChartOption(view)}
        height={height}
        label={`Behavior tree of ${view.businessKey}`}
      />
      <div className="row muted" style={{ fontSize: '0.85rem' }}>
        {Object.entries(STATUS_COLORS).map(([status, color]) => (
          <span key={status}>
            <span style={{ color }}>●</span> {status.replace('_', ' ')}
          </span>
        ))}
        <span>◆ supplement</span>
      </div>
    </>
  );
}
