import type { EChartsOption } from 'echarts';
import { entityHref } from './entity-kinds';
import type { EntityKindView } from './entity-kinds';

/**
 * The linked-entity graph: entities seen in the same sessions as this one
 * (the identity graph storage keeps) → the nodes, links and categories of an
 * ECharts graph series. Assumes nodes are unique by kind and key; adds the
 * center entity when it is missing; drops links whose ends are not among the nodes (a neighbourhood
 * cut at its limit) and duplicate links.
 */
export interface EntityRef {
  kind: string;
  key: string;
}

/** The shape of storage's `entities.neighbours` answer (a neighbourhood). */
export interface EntityGraphInput {
  nodes: readonly EntityRef[];
  edges: readonly { a: EntityRef; b: EntityRef; sessions?: number }[];
  truncated?: boolean;
}

export interface EntityGraphNode {
  id: string;
  name: string;
  kind: string;
  key: string;
  category: number;
  center: boolean;
  href: string;
  /** Links of this node inside the graph shown. */
  degree: number;
}

export interface EntityGraphView {
  nodes: EntityGraphNode[];
  links: { source: string; target: string; sessions: number | null }[];
  /** One per kind present, declared kinds first (in declaration order), then any others. */
  categories: { name: string; kind: string; count: number }[];
  /** True when storage left linked entities out (its node limit or per-hop edge cap). */
  truncated: boolean;
}

export function entityId(ref: EntityRef): string {
  return `${ref.kind}:${ref.key}`;
}

export function prepareEntityGraph(
  templateId: string,
  center: EntityRef,
  graph: EntityGraphInput,
  kinds: readonly EntityKindView[],
): EntityGraphView {
  const refs = new Map<string, EntityRef>([[entityId(center), center]]);
  for (const node of graph.nodes) refs.set(entityId(node), node);
  const links = new Map<string, EntityGraphView['links'][number]>();
  const degree = new Map<string, number>();
  for (const edge of graph.edges) {
    const [source, target] = [entityId(edge.a), entityId(edge.b)].sort() as [string, string];
    if (source === target || !refs.has(source) || !refs.has(target)) continue;
    const id = `${source}\u0000${target}`;
    if (links.has(id)) continue;
    links.set(id, { source, target, sessions: edge.sessions ?? null });
    degree.set(source, (degree.get(source) ?? 0) + 1);
    degree.set(target, (degree.get(target) ?? 0) + 1);
  }
  const declared = kinds.map((k) => k.id);
  const present = [...new Set([...refs.values()].map((r) => r.kind))].sort(
    (a, b) => rank(declared, a) - rank(declared, b) || a.localeCompare(b),
  );
  const labels = new Map(kinds.map((k) => [k.id, k.label]));
  const categories = present.map((kind) => ({
    kind,
    name: labels.get(kind) ?? kind,
    count: [...refs.values()].filter((r) => r.kind === kind).length,
  }));
  const nodes = [...refs.entries()].map(([id, ref]) => ({
    id,
    name: ref.key,
    kind: ref.kind,
    key: ref.key,
    category: present.indexOf(ref.kind),
    center: id === entityId(center),
    href: entityHref(templateId, ref.kind, ref.key),
    degree: degree.get(id) ?? 0,
  }));
  return { nodes, links: [...links.values()], categories, truncated: graph.truncated ?? false };
}

function rank(declared: readonly string[], kind: string): number {
  const i = declared.indexOf(kind);
  return i === -1 ? declared.length : i;
}

/** Above this many entities the layout packs tighter and drops the labels (the list under the graph has them). */
const CROWDED = 40;

/** The ECharts option: a force layout, the center entity larger, colour by kind, labels as text. */
export function entityGraphOption(view: EntityGraphView): EChartsOption {
  const crowded = view.nodes.length > CROWDED;
  return {
    animation: false,
    tooltip: { formatter: '{c} {b}' },
    legend: { data: view.categories.map((c) => c.name), bottom: 0 },
    series: [
      {
        type: 'graph',
        layout: 'force',
        roam: true,
        draggable: true,
        top: 24,
        bottom: 40,
        force: crowded
          ? { repulsion: 60, edgeLength: 30, gravity: 0.25 }
          : { repulsion: 160, edgeLength: 70, gravity: 0.1 },
        categories: view.categories.map((c) => ({ name: c.name })),
        label: { show: !crowded, position: 'right' },
        data: view.nodes.map((node) => ({
          id: node.id,
          name: node.name,
          category: node.category,
          symbolSize: node.center
            ? 34
            : crowded
              ? Math.min(16, 8 + node.degree)
              : Math.min(28, 12 + 2 * node.degree),
          itemStyle: node.center ? { borderColor: '#121a27', borderWidth: 3 } : undefined,
          value: node.kind,
        })),
        links: view.links.map((l) => ({ source: l.source, target: l.target })),
        lineStyle: { opacity: 0.7, width: 1.5 },
      },
    ],
  };
}
