import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffTemplates, formatChange } from './diff.js';
import { templateJsonSchema } from './json-schema.js';
import type { Template } from './template.js';
import { loadTemplate } from './validate.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures edit arbitrary JSON paths
type Json = any;
const raw = JSON.parse(
  readFileSync(new URL('../examples/in-app-purchase.json', import.meta.url), 'utf8'),
) as Json;
const v1 = loadTemplate(raw);
const next = (edit: (t: Json) => void): Template => {
  const t = structuredClone(raw);
  t.version = 2;
  edit(t);
  return loadTemplate(t);
};

describe('diffTemplates', () => {
  it('finds nothing between equal templates', () => {
    expect(diffTemplates(v1, loadTemplate(structuredClone(raw)))).toEqual({
      changes: [],
      requiresRestart: false,
      warnings: [],
    });
  });

  it('applies conclusion, duration and dashboard changes live', () => {
    const d = diffTemplates(
      v1,
      next((t) => {
        t.baseline.gap = '25m';
        t.conclusions[0].severity = 'high';
        t.dashboards[0].measures.push({ id: 'max_latency', agg: 'max', field: 'pay_latency_ms' });
      }),
    );
    expect(d.requiresRestart).toBe(false);
    expect(d.changes.map(formatChange)).toEqual([
      'changed version: 1 → 2',
      'changed baseline.gap: 1200000 → 1500000',
      'changed conclusions[paid_not_delivered].severity: "critical" → "high"',
      'added dashboards[purchase_health].measures[max_latency]: {"id":"max_latency","agg":"max","field":"pay_latency_ms"}',
    ]);
  });

  it('requires a restart for added or removed sources and changed topics or kinds', () => {
    const added = diffTemplates(
      v1,
      next((t) =>
        t.sources.push({
          id: 'refund',
          kind: 'kafka',
          topic: 'weft.src.refund',
          time: { path: 't', encoding: 'epoch_ms' },
          fields: {},
        }),
      ),
    );
    expect(added.requiresRestart).toBe(true);
    expect(added.changes.find((c) => c.path === 'sources[refund]')).toMatchObject({
      kind: 'added',
      restart: true,
    });

    const topic = diffTemplates(
      v1,
      next((t) => (t.sources[0].topic = 'weft.src.client_order.v2')),
    );
    expect(topic.changes).toContainEqual({
      path: 'sources[client_order].topic',
      kind: 'changed',
      before: 'weft.src.client_order',
      after: 'weft.src.client_order.v2',
      restart: true,
    });

    const field = diffTemplates(
      v1,
      next((t) => (t.sources[0].fields.region.path = 'geo.region')),
    );
    expect(field.requiresRestart).toBe(false);
  });

  it('reports a priority-order change of conclusions', () => {
    const d = diffTemplates(
      v1,
      next((t) => t.conclusions.splice(0, 2, t.conclusions[1], t.conclusions[0])),
    );
    expect(d.changes.map((c) => c.path)).toEqual(['version', 'conclusions(order)']);
  });

  it('warns when the content changed but the version did not', () => {
    const t = structuredClone(raw);
    t.conclusions[0].label = 'Paid but not delivered';
    expect(diffTemplates(v1, loadTemplate(t)).warnings).toEqual([
      'the content changed but version did not increase (1 → 1); publish the change as version 2',
    ]);
  });
});

describe('templateJsonSchema', () => {
  it('describes the authoring input, durations as integer or unit string', () => {
    const schema = templateJsonSchema() as Json;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(
      expect.arrayContaining(['id', 'version', 'sources', 'baseline']),
    );
    expect(schema.properties.baseline.properties.gap.anyOf).toEqual([
      expect.objectContaining({ type: 'integer', minimum: 0 }),
      expect.objectContaining({ type: 'string', pattern: '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$' }),
    ]);
    expect(schema.properties.conclusions.items.properties.severity.enum).toEqual([
      'info',
      'low',
      'medium',
      'high',
      'critical',
    ]);
    expect(schema.properties.baseline.additionalProperties).toBe(false);
  });
});
