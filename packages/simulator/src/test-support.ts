import type { SimulateOptions } from './options.js';
import { createSimulation } from './simulation.js';
import type { SimulationCounts } from './simulation.js';
import type { TruthSession } from './truth.js';

/** Test helper: runs a simulation into memory (lines per source, in emitted order, and the truth). */
export function collect(options: SimulateOptions): {
  lines: Map<string, string[]>;
  arrivals: Map<string, number[]>;
  truth: TruthSession[];
  counts: SimulationCounts;
} {
  const simulation = createSimulation(options);
  const lines = new Map(simulation.sources.map((s) => [s, [] as string[]]));
  const arrivals = new Map(simulation.sources.map((s) => [s, [] as number[]]));
  const truth: TruthSession[] = [];
  for (const event of simulation.events()) {
    if (event.type === 'truth') {
      truth.push(event.truth);
      continue;
    }
    lines.get(event.source)?.push(event.line);
    arrivals.get(event.source)?.push(event.arrival);
  }
  return { lines, arrivals, truth, counts: simulation.counts };
}

/** Parses a line, or returns null for the deliberately broken ones. */
export function tryParse(line: string): Record<string, unknown> | null {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}
