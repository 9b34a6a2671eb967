import type { SessionRecord } from '@weft/templates';
import { EngineInvariantError } from '../errors.js';
import type { ObjectTable } from '../snapshot/snapshot-encoding.js';
import type { WindowStateCodec } from '../windowing/window-operator-snapshot.js';
import type { BaselineElement } from './baseline-completeness.js';
import type { ElementSnapshot, TriggerStateSnapshot } from './job-snapshot.js';

/**
 * How the baseline windows' contents and session-trigger state go into a job
 * snapshot: elements as `[node, record id]` pairs into the record table;
 * numbers (timeouts, node bitmasks) and flags as they are; the element list
 * of an expression completeness as pairs too.
 */
export function windowCodec(
  records: ObjectTable<SessionRecord>,
): WindowStateCodec<BaselineElement[], readonly ElementSnapshot[], TriggerStateSnapshot> {
  const encode = (elements: readonly BaselineElement[]): ElementSnapshot[] =>
    elements.map((e) => [e.node, records.idOf(e.record)]);
  const decode = (pairs: readonly ElementSnapshot[]): BaselineElement[] =>
    pairs.map(([node, id]) => ({ node, record: records.at(id, 'record') }));
  return {
    encodeContents: encode,
    decodeContents: decode,
    encodeState(descriptor, value) {
      if (typeof value === 'number' || typeof value === 'boolean') return value;
      if (Array.isArray(value)) return encode(value as BaselineElement[]);
      throw new EngineInvariantError(
        `trigger state "${descriptor.name}" holds a value that cannot be snapshotted (${typeof value}); the job's triggers only keep numbers, flags and element lists, so this is an engine bug.`,
      );
    },
    decodeState: (_descriptor, encoded) =>
      Array.isArray(encoded) ? decode(encoded as readonly ElementSnapshot[]) : encoded,
  };
}
