import { z } from 'zod';
import { ScenarioError } from '../errors.js';

const time = z.number().int();
const key = z.string();

const sessionWindowScenario = z.strictObject({
  name: z.string(),
  operator: z.literal('sessionWindow'),
  config: z.strictObject({
    gapMs: z.number().int().positive(),
    allowedLatenessMs: z.number().int().nonnegative().default(0),
    trigger: z.discriminatedUnion('type', [
      z.strictObject({ type: z.literal('eventTime') }),
      z.strictObject({
        type: z.literal('count'),
        count: z.number().int().positive(),
        purge: z.boolean().default(false),
      }),
      z.strictObject({
        type: z.literal('session'),
        completeCount: z.number().int().positive(),
        timeoutMs: z.number().int().positive(),
      }),
    ]),
  }),
  steps: z.array(
    z.union([
      z.strictObject({ element: z.strictObject({ key, value: z.number(), ts: time }) }),
      z.strictObject({ watermark: time }),
      z.strictObject({ processingTime: time }),
      z.strictObject({ inspect: z.literal(true) }),
    ]),
  ),
  expect: z.record(z.string(), z.unknown()).optional(),
});

const intervalJoinScenario = z.strictObject({
  name: z.string(),
  operator: z.literal('intervalJoin'),
  config: z.strictObject({
    lowerMs: time,
    upperMs: time,
    lowerInclusive: z.boolean().default(true),
    upperInclusive: z.boolean().default(true),
  }),
  steps: z.array(
    z.union([
      z.strictObject({ left: z.strictObject({ key, ts: time }) }),
      z.strictObject({ right: z.strictObject({ key, ts: time }) }),
      z.strictObject({
        watermark: z.union([
          time,
          z
            .strictObject({ left: time.optional(), right: time.optional() })
            .refine((w) => w.left !== undefined || w.right !== undefined, {
              message: 'a watermark step needs "left", "right" or both',
            }),
        ]),
      }),
      z.strictObject({ inspect: z.literal(true) }),
    ]),
  ),
  expect: z.record(z.string(), z.unknown()).optional(),
});

const watermarkScenario = z
  .strictObject({
    name: z.string(),
    operator: z.literal('watermark'),
    config: z.strictObject({
      maxOutOfOrdernessMs: z.number().int().nonnegative(),
      idleTimeoutMs: z.number().int().positive(),
      partitions: z.array(z.string()).min(1),
    }),
    steps: z.array(
      z.union([
        z.strictObject({ element: z.strictObject({ partition: z.string(), ts: time }) }),
        z.strictObject({ processingTime: time }),
        z.strictObject({ inspect: z.literal(true) }),
      ]),
    ),
    expect: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((scenario, ctx) => {
    scenario.steps.forEach((step, index) => {
      if ('element' in step && !scenario.config.partitions.includes(step.element.partition)) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'element', 'partition'],
          message: `unknown partition "${step.element.partition}"; declare it in config.partitions`,
        });
      }
    });
  });

export const ScenarioSchema = z.discriminatedUnion('operator', [
  sessionWindowScenario,
  intervalJoinScenario,
  watermarkScenario,
]);

export type Scenario = z.infer<typeof ScenarioSchema>;
export type SessionWindowScenario = z.infer<typeof sessionWindowScenario>;
export type IntervalJoinScenario = z.infer<typeof intervalJoinScenario>;
export type WatermarkScenario = z.infer<typeof watermarkScenario>;

/**
 * Validates a parsed scenario file; throws a `ScenarioError` listing every
 * problem with its JSON path.
 *
 * Example: `parseScenario(JSON.parse(text), 'cases/x.json')`.
 */
export function parseScenario(input: unknown, origin = 'scenario'): Scenario {
  const result = ScenarioSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => `  - ${formatPath(issue.path)}: ${issue.message}`)
    .join('\n');
  throw new ScenarioError(
    `${origin} is not a valid conformance scenario (see shared/conformance/README.md):\n${problems}`,
  );
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
