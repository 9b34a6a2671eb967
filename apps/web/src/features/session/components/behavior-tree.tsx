'use client';

import type { EChartsReactProps } from 'echarts-for-react';
import { useMemo, useState } from 'react';
import { EChart } from '@/components/echart';
import type { BehaviorTreeView } from '../lib/behavior-tree';
import { defaultSelection, depthsOf } from '../lib/tree-selection';
import { SESSION_ROOT_ID, STATUS_COLORS, treeChartOption } from '../lib/tree-chart';
import type { FieldLinks } from './field-table';
import { NodeDetail } from './node-detail';
import { StepList } from './step-list';

/**
 * The behavior tree as the session page and the wizard preview show it: the
 * ECharts tree (click a node), the same steps as a keyboard list, and the
 * selected step's raw records and fields; with `links`, each field value
 * opens its entity page (entity fields) or the sessions sharing it.
 */
export function BehaviorTree({
  view,
  compact = false,
  links,
}: {
  view: BehaviorTreeView;
  compact?: boolean;
  links?: FieldLinks;
}) {
  const [selected, setSelected] = useState<string | null>(() => defaultSelection(view));
  const depthOf = useMemo(() => depthsOf(view), [view]);
  // A new view (the wizard preview after an edit) may lack the selected step: show its default.
  const shown = view.nodes.some((n) => n.id === selected) ? selected : defaultSelection(view);
  const option = useMemo(() => treeChartOption(view, shown), [view, shown]);
  const onEvents: EChartsReactProps['onEvents'] = {
    click: (params: { data?: { id?: string } }) => {
      const id = params.data?.id;
      if (id && id !== SESSION_ROOT_ID) setSelected(id);
    },
  };
  const node = view.nodes.find((n) => n.id === shown) ?? null;
  const height = Math.max(compact ? 200 : 260, view.nodes.length * (compact ? 40 : 56));
  return (
    <div className="behavior-tree" data-testid="behavior-tree" data-key={view.businessKey}>
      <EChart
        option={option}
        height={height}
        onEvents={onEvents}
        label={`Behavior tree of ${view.businessKey}: ${view.problems.length === 0 ? 'no problems' : view.problems.join(', ')}. The steps are listed below.`}
      />
      <div className="row muted" style={{ fontSize: '0.85rem' }}>
        {Object.entries(STATUS_COLORS).map(([status, color]) => (
          <span key={status}>
            <span style={{ color }}>●</span> {status.replace('_', ' ')}
          </span>
        ))}
        <span>◆ supplement</span>
      </div>
      <div className={compact ? '' : 'grid-2'}>
        <StepList nodes={view.nodes} depthOf={depthOf} selected={shown} onSelect={setSelected} />
        {node && <NodeDetail node={node} links={links} />}
      </div>
    </div>
  );
}
