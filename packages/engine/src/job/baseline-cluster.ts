import type { CompiledTemplate } from '@weft/templates';
import { sessionWindows } from '../windowing/session-window-assigner.js';
import { sessionTrigger } from '../windowing/triggers/session-trigger.js';
import type { WindowOperatorOptions, WindowOperatorOutput } from '../windowing/window-operator.js';
import { baselineCompleteness } from './baseline-completeness.js';
import type { BaselineElement } from './baseline-completeness.js';

/**
 * The baseline cluster as a window operator: session windows with the
 * template's gap, the session trigger (completeness, timeout), allowed
 * lateness, retraction of absorbed firings; contents are the elements in
 * arrival order (the list only grows; a merge makes a new one).
 */
export function baselineClusterOptions(
  compiled: CompiledTemplate,
  output: WindowOperatorOutput<BaselineElement, BaselineElement[]>,
): WindowOperatorOptions<BaselineElement, BaselineElement[]> {
  const { baseline } = compiled.template;
  return {
    assigner: sessionWindows(baseline.gap),
    trigger: sessionTrigger({
      completeness: baselineCompleteness(compiled),
      timeoutMs: baseline.timeout,
    }),
    aggregate: {
      create: (): BaselineElement[] => [],
      add: (acc, element) => {
        acc.push(element);
        return acc;
      },
      merge: (a, b) => a.concat(b),
    },
    allowedLatenessMs: baseline.allowedLateness,
    retractAbsorbedFirings: true,
    identityFollowsStart: true,
    output,
  };
}
