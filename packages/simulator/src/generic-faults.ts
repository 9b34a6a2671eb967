import type { FaultSpec } from './model.js';
import { GENERIC_FAULTS } from './model.js';

/** Shape faults every scenario supports; their mechanics live in corrupt.ts. */
export const genericFaultSpecs: readonly FaultSpec[] = [
  {
    name: GENERIC_FAULTS.late,
    kind: 'shape',
    defaultRate: 0.005,
    per: 'session',
    description:
      'One record of the session arrives 1–3 hours after its event time, far behind any watermark. Truth unchanged: it must end in the right session after late reprocessing.',
  },
  {
    name: GENERIC_FAULTS.duplicate,
    kind: 'shape',
    defaultRate: 0.01,
    per: 'session',
    description:
      'One record of the session is logged twice, byte-identical (same `_sim.record`), the copy arriving 0.05–5 s later. Truth unchanged: deduplicated, not double-counted.',
  },
  {
    name: GENERIC_FAULTS.malformed,
    kind: 'shape',
    defaultRate: 0.002,
    per: 'session',
    description:
      'A corrupted extra copy of one record: bad JSON (truncated line), missing event time, or event time of the wrong type. Truth: a dead-letter entry of its own; the session itself is unchanged.',
  },
];
