import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  loadTemplate,
  templateJsonSchema,
  validateTemplate,
} from '../src/index.js';

const read = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));

describe('template.schema.json', () => {
  it('is up to date with the zod schema (regenerate: npm run schema -w @weft/templates)', () => {
    expect(read('../template.schema.json')).toEqual(templateJsonSchema());
  });
});

describe('the README worked example (examples/tutorial/food-delivery.json)', () => {
  const json = read('../examples/tutorial/food-delivery.json');

  it('validates', () => {
    const result = validateTemplate(json);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('routes one courier source to two nodes and concludes "late"', () => {
    const compiled = compileTemplate(loadTemplate(json));
    const courier = compiled.extractor('courier_app');
    const route = (raw: Record<string, unknown>): string[] => {
      const out = courier.extract(raw);
      if (!out.ok) throw new Error(out.reason);
      return compiled.nodesFor('courier_app', raw, out.fields);
    };
    expect(route({ t: 1, order_ref: 'F1', courier_id: 'C9', step: 'pickup' })).toEqual([
      'picked_up',
    ]);
    expect(route({ t: 2, order_ref: 'F1', courier_id: 'C9', step: 'dropoff' })).toEqual([
      'delivered',
    ]);

    const min = 60_000;
    const outcome = compiled.evaluate({
      nodes: [
        {
          node: 'placed',
          records: [{ eventTime: 0, fields: { order_id: 'F1', restaurant_id: 'RS1' } }],
        },
        {
          node: 'accepted',
          records: [
            { eventTime: 1 * min, fields: { order_id: 'F1', accepted: true, eta_min: 20 } },
          ],
        },
        {
          node: 'picked_up',
          records: [{ eventTime: 15 * min, fields: { order_id: 'F1', courier_id: 'C9' } }],
        },
        {
          node: 'delivered',
          records: [{ eventTime: 50 * min, fields: { order_id: 'F1', courier_id: 'C9' } }],
        },
        {
          node: 'gps',
          records: [{ eventTime: 20 * min, fields: { courier_id: 'C9', lat: 1, lon: 2 } }],
        },
      ],
      enrichment: { restaurant_name: 'Pho 24', city: 'Lyon' },
    });
    expect(outcome.fields.delivery_minutes).toBe(50);
    expect(outcome.verdict?.conclusion).toBe('late');
    expect(outcome.verdict?.explanation).toBe(
      'Order F1 took 50 min against an ETA of 20 min (courier C9).',
    );
  });
});
