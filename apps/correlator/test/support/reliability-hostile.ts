import { hostileRecords, scoreSessions } from '@weft/simulator';
import type { HostileCategory, TruthSession } from '@weft/simulator';
import type { Session } from '@weft/templates';

/** The floor: at least this many adversarial records per source kind. */
export const HOSTILE_COUNT = 100_000;

/** 100,000 hostile lines of the in-app-purchase scenario, grouped by source, and the categories seen. */
export function hostileBySource(seed: number): {
  bySource: Map<string, Buffer[]>;
  categories: Map<HostileCategory, number>;
} {
  const bySource = new Map<string, Buffer[]>();
  const categories = new Map<HostileCategory, number>();
  for (const r of hostileRecords({
    scenario: 'in-app-purchase',
    count: HOSTILE_COUNT,
    seed,
    hugeSize: 2_000,
  })) {
    categories.set(r.category, (categories.get(r.category) ?? 0) + 1);
    const list = bySource.get(r.source) ?? [];
    list.push(r.bytes);
    bySource.set(r.source, list);
  }
  return { bySource, categories };
}

/**
 * `NODE_OPTIONS` for a child process that reports at exit whether anything
 * reached the shared prototypes: it prints `[weft] prototypes clean` or
 * `[weft] PROTOTYPE POLLUTED: …` on stderr (the hostile lines carry
 * `__proto__`/`constructor.prototype` keys setting `polluted`).
 */
export function prototypeGuardOptions(): string {
  const guard = [
    "process.on('exit',()=>{",
    'const hit=[Object.prototype,Array.prototype,Function.prototype,String.prototype]',
    ".filter((p)=>Object.hasOwn(p,'polluted'));",
    'const probe=({}).polluted!==undefined||([]).polluted!==undefined;',
    "process.stderr.write(hit.length||probe?'[weft] PROTOTYPE POLLUTED: '+hit.length+'\\n':'[weft] prototypes clean\\n');",
    '})',
  ].join('');
  return `${process.env.NODE_OPTIONS ?? ''} --import=data:text/javascript,${encodeURIComponent(guard)}`.trim();
}

/** Peak and last of a series of memory samples, in MiB. */
export function memorySummary(samples: readonly number[]): { peakMiB: number; lastMiB: number } {
  const mib = (bytes: number) => Math.round(bytes / 1_048_576);
  return { peakMiB: mib(Math.max(0, ...samples)), lastMiB: mib(samples.at(-1) ?? 0) };
}

/**
 * The valid records correlated exactly: 100% pairwise precision and recall,
 * none missing or unknown, and every session's conclusion right. The vitest
 * `expect` is passed in so this support module stays free of test globals.
 */
export function expectExactCorrelation(
  expect: (value: unknown, message?: string) => { toBe(expected: unknown): void },
  truth: readonly TruthSession[],
  sessions: readonly Session[],
): void {
  const report = scoreSessions([...truth], [...sessions]);
  const { assignment } = report;
  expect(assignment.pairwise.precision, 'pairwise precision').toBe(1);
  expect(assignment.pairwise.recall, 'pairwise recall').toBe(1);
  expect(assignment.missingRecords, 'missing records').toBe(0);
  expect(assignment.unknownRecords, 'unknown records').toBe(0);
  expect(report.conclusions.accuracy, 'conclusion accuracy').toBe(1);
}
