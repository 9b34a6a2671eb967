import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffTemplates } from './diff.js';
import { formatDuration, parseDuration } from './duration.js';
import { RESERVED_IDS } from './limits.js';
import type { TemplateInput } from './template.js';
import { loadTemplate, validateTemplate } from './validate.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);

const identifier = fc
  .stringMatching(/^[a-z][a-z0-9_]{0,10}$/)
  .filter((id) => !RESERVED_IDS.has(id));

const durationMs = fc.integer({ min: 1, max: 3 * 86_400_000 });
const fieldType = fc.constantFrom('string', 'number', 'boolean', 'timestamp' as const);

const fields = fc.dictionary(
  identifier.filter((name) => name !== 'k'),
  fc.record({
    path: fc.stringMatching(/^[a-z]{1,6}(\.[a-z]{1,6}){0,2}$/),
    type: fieldType,
    required: fc.boolean(),
  }),
  { maxKeys: 4 },
);

/** Arbitrary valid templates: 1–4 event sources on one key, optional supplement, enrichment, derived fields, conclusions and dashboards. */
const template: fc.Arbitrary<TemplateInput> = fc
  .record({
    ids: fc.uniqueArray(identifier, { minLength: 2, maxLength: 5 }),
    fieldSets: fc.array(fields, { minLength: 5, maxLength: 5 }),
    encodings: fc.array(fc.constantFrom('epoch_ms', 'epoch_s', 'iso8601' as const), {
      minLength: 5,
      maxLength: 5,
    }),
    gap: fc.integer({ min: 60_000, max: 86_400_000 }),
    extraSpan: fc.integer({ min: 0, max: 86_400_000 }),
    timeout: durationMs,
    lateness: fc.integer({ min: 0, max: 3_600_000 }),
    lower: fc.integer({ min: -3_600_000, max: 0 }),
    upper: fc.integer({ min: 0, max: 3_600_000 }),
    cardinality: fc.constantFrom('one', 'many' as const),
    status: fc.constantFrom('draft', 'published', 'retired' as const),
    version: fc.integer({ min: 1, max: 1000 }),
    withSupplement: fc.boolean(),
    withFire: fc.constantFrom('all', 'nodes', 'expr'),
    useStrings: fc.boolean(),
  })
  .map((r) => {
    const ids = r.ids;
    const supplementId = r.withSupplement && ids.length > 1 ? ids[ids.length - 1] : undefined;
    const baselineIds = supplementId === undefined ? ids : ids.slice(0, -1);
    const sources = ids.map((id, i) => ({
      id,
      kind: 'kafka' as const,
      topic: `weft.src.${id}`,
      time: { path: 'ts', encoding: r.encodings[i] ?? 'epoch_ms' },
      fields: {
        ...Object.fromEntries(
          // keep field types consistent across baseline sources: prefix with the source id
          Object.entries(r.fieldSets[i] ?? {}).map(([name, spec]) => [
            `${id}_${name}`.slice(0, 60),
            spec,
          ]),
        ),
        k: { path: 'key', type: 'string' as const, required: true },
      },
      watermark: { outOfOrderness: r.useStrings ? '5s' : 5_000, idleTimeout: '1m' },
    }));
    const gap = r.gap;
    const t: TemplateInput = {
      id: 'prop-template',
      name: 'Property template',
      version: r.version,
      status: r.status,
      author: 'fast-check',
      createdAt: '2026-11-24T00:00:00.000Z',
      updatedAt: '2026-11-24T00:00:00.000Z',
      sources,
      baseline: {
        key: 'k',
        nodes: baselineIds.map((id) => ({ id, source: id, label: id })),
        gap: r.useStrings ? formatDuration(gap) : gap,
        maxSpan: gap + r.extraSpan,
        allowedLateness: r.lateness,
        timeout: r.useStrings ? formatDuration(r.timeout) : r.timeout,
        earlyFire:
          r.withFire === 'all'
            ? { all: true }
            : r.withFire === 'nodes'
              ? { nodes: [baselineIds[0] as string] }
              : { expr: `has_node.${baselineIds[0] as string}` },
      },
      supplements:
        supplementId === undefined
          ? []
          : [
              {
                id: supplementId,
                source: supplementId,
                label: 'supplement',
                join: [{ session: 'k', record: 'k' }],
                anchor: baselineIds[0] as string,
                lower: r.useStrings ? formatDuration(r.lower) : r.lower,
                upper: r.upper,
                cardinality: r.cardinality,
              },
            ],
      tree: {
        edges: baselineIds.slice(1).map((id, i) => ({ from: baselineIds[i] as string, to: id })),
      },
      derived: [
        { name: 'complete', type: 'boolean', expr: `count.${baselineIds[0] as string} >= 1` },
      ],
      conclusions: [
        {
          id: 'seen',
          label: 'Seen',
          severity: 'info',
          when: 'f.complete',
          explanation: 'Key {{k}} seen {{count.' + (baselineIds[0] as string) + '}} times',
        },
      ],
      dashboards: [
        {
          id: 'main',
          title: 'Main',
          dimensions: ['$conclusion', 'k'],
          measures: [{ id: 'n', agg: 'count' }],
        },
      ],
    };
    return t;
  });

describe('templates round-trip through JSON', () => {
  it(
    'every generated template validates, and parse ∘ stringify ∘ parse = parse',
    { timeout: 180_000 },
    () => {
      fc.assert(
        fc.property(template, (input) => {
          const result = validateTemplate(input);
          if (!result.ok) throw new Error(JSON.stringify(result.errors));
          const parsed = result.template;
          const again = loadTemplate(JSON.parse(JSON.stringify(parsed)));
          expect(again).toEqual(parsed);
          expect(diffTemplates(parsed, again).changes).toEqual([]);
        }),
        { numRuns: runs },
      );
    },
  );

  it('formatDuration and parseDuration are inverse on integer milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
      { numRuns: runs },
    );
  });
});
