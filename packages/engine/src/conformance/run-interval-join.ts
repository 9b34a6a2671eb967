import { IntervalJoinOperator } from '../join/interval-join-operator.js';
import type { IntervalJoinScenario } from './scenario-schema.js';
import { byFields } from './sort.js';

export interface IntervalJoinScenarioOutput {
  joined: { step: number; key: string; left: number; right: number }[];
  lateLeft: { step: number; key: string; ts: number }[];
  lateRight: { step: number; key: string; ts: number }[];
  inspections: { step: number; left: number[]; right: number[] }[];
}

/** Runs an `intervalJoin` scenario through the real IntervalJoinOperator. */
export function runIntervalJoin(scenario: IntervalJoinScenario): IntervalJoinScenarioOutput {
  const out: IntervalJoinScenarioOutput = {
    joined: [],
    lateLeft: [],
    lateRight: [],
    inspections: [],
  };
  let step = 0;
  const operator = new IntervalJoinOperator<null, null>(scenario.config, {
    joined: (key, _l, left, _r, right) => out.joined.push({ step, key, left, right }),
    late: (side, key, _element, ts) =>
      (side === 'left' ? out.lateLeft : out.lateRight).push({ step, key, ts }),
  });
  for (const [index, s] of scenario.steps.entries()) {
    step = index;
    if ('left' in s) operator.processLeft(s.left.key, null, s.left.ts);
    else if ('right' in s) operator.processRight(s.right.key, null, s.right.ts);
    else if ('watermark' in s) {
      const w = s.watermark;
      operator.advanceWatermark(typeof w === 'number' ? { left: w, right: w } : w);
    } else out.inspections.push({ step, ...operator.bufferedTimestamps() });
  }
  return {
    joined: out.joined.sort(byFields('step', 'key', 'left', 'right')),
    lateLeft: out.lateLeft.sort(byFields('step', 'key', 'ts')),
    lateRight: out.lateRight.sort(byFields('step', 'key', 'ts')),
    inspections: out.inspections,
  };
}
