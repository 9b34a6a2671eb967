import type { CompiledTemplate, SessionRecord } from '@weft/templates';
import type { Completeness } from '../windowing/triggers/session-trigger.js';

/** A baseline record in the baseline cluster's window. */
export interface BaselineElement {
  readonly node: string;
  readonly record: SessionRecord;
}

/**
 * The template's early-fire condition as session-trigger progress. For a node
 * set (`{all}` / `{nodes}`) progress is a bitmask of the nodes seen, or-ed on
 * merge; for an expression it is the baseline elements so far, concatenated on
 * merge, and the compiled condition decides.
 */
export function baselineCompleteness(
  compiled: CompiledTemplate,
): Completeness<BaselineElement, unknown> {
  const nodes = compiled.earlyFireNodes;
  if (nodes !== null) {
    const bit = new Map(nodes.map((node, i) => [node, 2 ** i]));
    const full = 2 ** nodes.length - 1;
    const completeness: Completeness<BaselineElement, number> = {
      progress: { name: 'early-fire-nodes', merge: (a, b) => a | b },
      initial: 0,
      add: (mask, element) => mask | (bit.get(element.node) ?? 0),
      isComplete: (mask) => mask === full,
    };
    return completeness as Completeness<BaselineElement, unknown>;
  }
  const completeness: Completeness<BaselineElement, readonly BaselineElement[]> = {
    progress: { name: 'early-fire-elements', merge: (a, b) => [...a, ...b] },
    initial: [],
    add: (elements, element) => [...elements, element],
    isComplete: (elements) => {
      const byNode = new Map<string, BaselineElement['record'][]>();
      for (const e of elements) byNode.set(e.node, [...(byNode.get(e.node) ?? []), e.record]);
      return compiled.shouldFireEarly({
        nodes: [...byNode].map(([node, records]) => ({ node, records })),
      });
    },
  };
  return completeness as Completeness<BaselineElement, unknown>;
}
