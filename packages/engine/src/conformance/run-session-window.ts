import { sessionWindows } from '../windowing/session-window-assigner.js';
import type { Trigger } from '../windowing/trigger.js';
import { countTrigger } from '../windowing/triggers/count-trigger.js';
import { eventTimeTrigger } from '../windowing/triggers/event-time-trigger.js';
import { purgingTrigger } from '../windowing/triggers/purging-trigger.js';
import { countCompleteness, sessionTrigger } from '../windowing/triggers/session-trigger.js';
import { WindowOperator } from '../windowing/window-operator.js';
import type { WindowAggregate } from '../windowing/window-operator.js';
import type { SessionWindowScenario } from './scenario-schema.js';
import { byFields } from './sort.js';

export interface SessionWindowOutput {
  fired: { step: number; key: string; start: number; end: number; count: number; sum: number }[];
  late: { step: number; key: string; value: number; ts: number }[];
  retracted: { step: number; key: string; start: number; end: number }[];
  inspections: {
    step: number;
    windows: { key: string; start: number; end: number; count: number }[];
  }[];
}

interface CountSum {
  count: number;
  sum: number;
}

const countSum: WindowAggregate<number, CountSum> = {
  create: () => ({ count: 0, sum: 0 }),
  add: (acc, value) => ({ count: acc.count + 1, sum: acc.sum + value }),
  merge: (a, b) => ({ count: a.count + b.count, sum: a.sum + b.sum }),
};

function triggerOf(config: SessionWindowScenario['config']['trigger']): Trigger<number> {
  switch (config.type) {
    case 'eventTime':
      return eventTimeTrigger();
    case 'count':
      return config.purge ? purgingTrigger(countTrigger(config.count)) : countTrigger(config.count);
    case 'session':
      return sessionTrigger({
        completeness: countCompleteness(config.completeCount),
        timeoutMs: config.timeoutMs,
      });
  }
}

/** Runs a `sessionWindow` scenario through the real WindowOperator. */
export function runSessionWindow(scenario: SessionWindowScenario): SessionWindowOutput {
  const out: SessionWindowOutput = { fired: [], late: [], retracted: [], inspections: [] };
  let step = 0;
  const operator = new WindowOperator<number, CountSum>({
    assigner: sessionWindows(scenario.config.gapMs),
    trigger: triggerOf(scenario.config.trigger),
    aggregate: countSum,
    allowedLatenessMs: scenario.config.allowedLatenessMs,
    retractAbsorbedFirings: scenario.config.trigger.type === 'session',
    output: {
      fired: ({ key, window, contents }) =>
        out.fired.push({ step, key, start: window.start, end: window.end, ...contents }),
      late: (key, value, ts) => out.late.push({ step, key, value, ts }),
      retracted: ({ key, window }) =>
        out.retracted.push({ step, key, start: window.start, end: window.end }),
    },
  });
  for (const [index, s] of scenario.steps.entries()) {
    step = index;
    if ('element' in s) operator.processElement(s.element.key, s.element.value, s.element.ts);
    else if ('watermark' in s) operator.advanceWatermark(s.watermark);
    else if ('processingTime' in s) operator.advanceProcessingTime(s.processingTime);
    else {
      const windows = [...operator.liveWindows()].map(({ key, window, contents }) => ({
        key,
        start: window.start,
        end: window.end,
        count: contents?.count ?? 0,
      }));
      out.inspections.push({ step, windows: windows.sort(byFields('key', 'start')) });
    }
  }
  return {
    fired: out.fired.sort(byFields('step', 'key', 'start')),
    late: out.late.sort(byFields('step', 'key', 'ts')),
    retracted: out.retracted.sort(byFields('step', 'key', 'start')),
    inspections: out.inspections,
  };
}
