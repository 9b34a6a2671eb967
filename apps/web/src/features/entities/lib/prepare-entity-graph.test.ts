import { describe, expect, it } from 'vitest';
import type { EntityKindView } from './entity-kinds';
import { entityGraphOption, prepareEntityGraph } from './prepare-entity-graph';

const kinds: EntityKindView[] = [
  { id: 'account', label: 'Account', field: 'account_id', features: [] },
  { id: 'device', label: 'Device', field: 'device_id', features: [] },
];
const device = { kind: 'device', key: 'D1' };
const a1 = { kind: 'account', key: 'A1' };
const a2 = { kind: 'account', key: 'A2' };

describe('prepareEntityGraph', () => {
  it('turns a neighbourhood into nodes, links and categories with entity links', () => {
    const view = prepareEntityGraph(
      'iap',
      device,
      {
        nodes: [device, a1, a2],
        edges: [
          { a: a1, b: device, sessions: 4 },
          { a: device, b: a2, sessions: 1 },
        ],
        truncated: true,
      },
      kinds,
    );
    expect(view.categories).toEqual([
      { kind: 'account', name: 'Account', count: 2 },
      { kind: 'device', name: 'Device', count: 1 },
    ]);
    const center = view.nodes.find((n) => n.center);
    expect(center).toMatchObject({ id: 'device:D1', category: 1, degree: 2 });
    expect(view.nodes.find((n) => n.id === 'account:A2')).toMatchObject({
      href: '/entities/account/A2?template=iap',
      category: 0,
      degree: 1,
      center: false,
    });
    expect(view.links).toEqual([
      { source: 'account:A1', target: 'device:D1', sessions: 4 },
      { source: 'account:A2', target: 'device:D1', sessions: 1 },
    ]);
    expect(view.truncated).toBe(true);
  });

  it('adds a missing center, drops self, dangling and repeated links, and keeps unknown kinds last', () => {
    const ip = { kind: 'ip', key: '10.0.0.1' };
    const view = prepareEntityGraph(
      'iap',
      device,
      {
        nodes: [ip, a1],
        edges: [
          { a: a1, b: ip },
          { a: ip, b: a1 },
          { a: a1, b: a1 },
          { a: a1, b: { kind: 'account', key: 'not-returned' } },
        ],
      },
      kinds,
    );
    expect(view.nodes.map((n) => n.id).sort()).toEqual(['account:A1', 'device:D1', 'ip:10.0.0.1']);
    expect(view.links).toEqual([{ source: 'account:A1', target: 'ip:10.0.0.1', sessions: null }]);
    expect(view.categories.map((c) => c.name)).toEqual(['Account', 'Device', 'ip']);
    expect(view.nodes.find((n) => n.center)?.degree).toBe(0);
    expect(view.truncated).toBe(false);
  });

  it('draws a graph series with the center larger and one category per kind', () => {
    const view = prepareEntityGraph(
      'iap',
      device,
      { nodes: [device, a1], edges: [{ a: a1, b: device }] },
      kinds,
    );
    const option = entityGraphOption(view);
    const [series] = option.series as {
      type: string;
      data: { id: string; symbolSize: number }[];
      categories: unknown[];
      links: unknown[];
    }[];
    expect(series!.type).toBe('graph');
    expect(series!.categories).toEqual([{ name: 'Account' }, { name: 'Device' }]);
    const size = Object.fromEntries(series!.data.map((d) => [d.id, d.symbolSize]));
    expect(size['device:D1']).toBeGreaterThan(size['account:A1']!);
    expect(series!.links).toEqual([{ source: 'account:A1', target: 'device:D1' }]);
  });

  it('packs a crowded neighbourhood tighter and leaves its labels to the list', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ kind: 'account', key: `A${i}` }));
    const crowded = prepareEntityGraph(
      'iap',
      device,
      { nodes: [device, ...many], edges: many.map((a) => ({ a, b: device })) },
      kinds,
    );
    const few = prepareEntityGraph('iap', device, { nodes: [device, a1], edges: [] }, kinds);
    type Series = { label: { show: boolean }; force: { repulsion: number } };
    const [dense] = entityGraphOption(crowded).series as Series[];
    const [sparse] = entityGraphOption(few).series as Series[];
    expect(dense!.label.show).toBe(false);
    expect(sparse!.label.show).toBe(true);
    expect(dense!.force.repulsion).toBeLessThan(sparse!.force.repulsion);
  });
});
