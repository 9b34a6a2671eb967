'use client';

import type { EChartsReactProps } from 'echarts-for-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import { EChart } from '@/components/echart';
import type { EntityGraphView } from '../lib/prepare-entity-graph';
import { entityGraphOption } from '../lib/prepare-entity-graph';

/**
 * The linked-entity graph (click an entity to open it) and the same
 * entities as a list of links, grouped by kind, for the keyboard.
 */
export function EntityGraph({ view }: { view: EntityGraphView }) {
  const router = useRouter();
  const option = useMemo(() => entityGraphOption(view), [view]);
  const hrefs = useMemo(() => new Map(view.nodes.map((n) => [n.id, n.href])), [view]);
  const onEvents: EChartsReactProps['onEvents'] = {
    click: (params: { dataType?: string; data?: { id?: string } }) => {
      const href = params.dataType === 'node' ? hrefs.get(params.data?.id ?? '') : undefined;
      if (href) router.push(href);
    },
  };
  const linked = view.nodes.filter((n) => !n.center);
  return (
    <div data-testid="entity-graph" data-nodes={view.nodes.length} data-links={view.links.length}>
      <EChart
        option={option}
        height={Math.min(520, 220 + view.nodes.length * 6)}
        onEvents={onEvents}
        label={`Linked entities: ${linked.length}, in ${view.categories.map((c) => `${c.count} ${c.name}`).join(', ')}. Listed below.`}
      />
      {view.truncated && (
        <p className="muted">
          More entities are linked than shown: the graph stops at {view.nodes.length} entities.
          Lower the depth to see the nearest ones.
        </p>
      )}
      {view.categories.map((category) => {
        const nodes = linked.filter((n) => n.kind === category.kind);
        if (nodes.length === 0) return null;
        return (
          <p key={category.kind}>
            <strong>{category.name}</strong>:{' '}
            {nodes.map((node, i) => (
              <span key={node.id}>
                {i > 0 && ', '}
                <Link href={node.href} prefetch={false} className="mono">
                  {node.key}
                </Link>
              </span>
            ))}
          </p>
        );
      })}
    </div>
  );
}
