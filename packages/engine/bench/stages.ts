// Where the time goes, stage by stage in isolation (records or elements per CPU-second).
import type { CompiledTemplate } from '@weft/templates';
import {
  WindowOperator,
  countCompleteness,
  prepareRecord,
  sessionTrigger,
  sessionWindows,
} from '../src/index.js';
import { SPACING_MS, generate } from './purchase-input.js';

function cpuRate(count: number, work: () => void): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return count / ((used.user + used.system) / 1e6);
}

export function measureStages(compiled: CompiledTemplate): Record<string, number> {
  const lines = generate(10_000).map((l) => l.input);
  const prepare = cpuRate(lines.length, () => {
    for (const input of lines) prepareRecord(compiled, input, 0);
  });
  const first = prepareRecord(compiled, lines[0]!, 0);
  const nodes = first.ok ? [{ node: 'client_order', records: [first.routed.record] }] : [];
  const evaluate = cpuRate(20_000, () => {
    for (let i = 0; i < 20_000; i++) compiled.evaluate({ nodes });
  });
  const elements = 3_000_000;
  const operator = new WindowOperator<number, number>({
    assigner: sessionWindows(1_200_000),
    trigger: sessionTrigger({ completeness: countCompleteness(10), timeoutMs: 120_000 }),
    aggregate: { create: () => 0, add: (a, v) => a + v, merge: (a, b) => a + b },
    allowedLatenessMs: 300_000,
    retractAbsorbedFirings: true,
    output: { fired: () => undefined, late: () => undefined, retracted: () => undefined },
  });
  const core = cpuRate(elements, () => {
    for (let i = 0; i < elements; i++) {
      const session = Math.floor(i / 10);
      operator.processElement(`O${session}`, 1, session * SPACING_MS + (i % 10) * 3_000);
      if ((i & 1023) === 0) {
        operator.advanceWatermark(session * SPACING_MS - 10_001);
        operator.advanceProcessingTime(i);
      }
    }
    operator.advanceWatermark(Number.POSITIVE_INFINITY);
  });
  return { prepare, evaluate, core };
}
