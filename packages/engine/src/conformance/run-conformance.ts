import { runIntervalJoin } from './run-interval-join.js';
import type { IntervalJoinScenarioOutput } from './run-interval-join.js';
import { runSessionWindow } from './run-session-window.js';
import type { SessionWindowOutput } from './run-session-window.js';
import { runWatermark } from './run-watermark.js';
import type { WatermarkScenarioOutput } from './run-watermark.js';
import { parseScenario } from './scenario-schema.js';
import type { Scenario } from './scenario-schema.js';
import { byFields } from './sort.js';

export type ConformanceOutput =
  SessionWindowOutput | IntervalJoinScenarioOutput | WatermarkScenarioOutput;

/**
 * Runs one conformance scenario (shared/conformance/README.md) through the
 * real operators and returns the output object, lists sorted as specified.
 * Accepts a parsed JSON value and validates it first.
 *
 * Example: `runConformance(JSON.parse(text)).fired`.
 */
export function runConformance(input: Scenario | unknown, origin?: string): ConformanceOutput {
  const scenario = parseScenario(input, origin);
  switch (scenario.operator) {
    case 'sessionWindow':
      return runSessionWindow(scenario);
    case 'intervalJoin':
      return runIntervalJoin(scenario);
    case 'watermark':
      return runWatermark(scenario);
  }
}

/**
 * The part of an output that a scenario's `expect` talks about: its fields,
 * plus the `joinedPairs` convenience (joins without `step`, sorted).
 */
export function projectForExpect(
  output: ConformanceOutput,
  expect: Record<string, unknown>,
): Record<string, unknown> {
  const projected: Record<string, unknown> = {};
  for (const field of Object.keys(expect)) {
    if (field === 'joinedPairs' && 'joined' in output) {
      projected[field] = output.joined
        .map(({ key, left, right }) => ({ key, left, right }))
        .sort(byFields('key', 'left', 'right'));
    } else {
      projected[field] = (output as unknown as Record<string, unknown>)[field];
    }
  }
  return projected;
}
