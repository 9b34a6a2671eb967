import { describe, expect, it } from 'vitest';
import { scenarioById } from './options.js';
import { createSimulation } from './simulation.js';
import { collect, tryParse } from './test-support.js';
import type { TruthSession } from './truth.js';

const inApp = { scenario: 'in-app-purchase', orders: 2000, seed: 11 };

function simOf(record: Record<string, unknown>): { session: string; record: string } {
  return record['_sim'] as { session: string; record: string };
}

function decodeTime(value: unknown, encoding: string): number {
  if (encoding === 'iso') return Date.parse(value as string);
  return encoding === 'epoch_s' ? (value as number) * 1000 + 999 : (value as number);
}

describe('createSimulation determinism', () => {
  it('is byte-identical for the same seed and options', () => {
    const a = collect(inApp);
    const b = collect(inApp);
    expect([...a.lines]).toEqual([...b.lines]);
    expect(a.truth).toEqual(b.truth);
  });

  it('differs for a different seed', () => {
    const a = collect(inApp);
    const b = collect({ ...inApp, seed: 12 });
    expect(a.lines.get('client_order')).not.toEqual(b.lines.get('client_order'));
  });

  it('writes each source in arrival order', () => {
    for (const scenario of ['in-app-purchase', 'bank-transfer']) {
      const { arrivals } = collect({ ...inApp, scenario });
      for (const times of arrivals.values()) {
        expect(times.every((t, i) => i === 0 || (times[i - 1] as number) <= t)).toBe(true);
      }
    }
  });
});

describe.each(['in-app-purchase', 'bank-transfer'])('firstOrder of %s', (scenario) => {
  /** The Kafka keys of a run's records and the ids of its truth sessions. */
  const idsOf = (firstOrder: number) => {
    const keys = new Set<string>();
    const sessions = new Set<string>();
    for (const event of createSimulation({ scenario, orders: 300, seed: 5, firstOrder }).events()) {
      if (event.type === 'truth') sessions.add(event.truth.session);
      else if (event.key !== null) keys.add(event.key);
    }
    return { keys, sessions };
  };

  it('gives a run that starts after another one ids of its own', () => {
    const first = idsOf(0);
    const next = idsOf(300);
    expect(first.keys.size).toBeGreaterThan(300);
    expect(next.sessions.size).toBe(first.sessions.size);
    expect([...next.keys].filter((key) => first.keys.has(key))).toEqual([]);
    expect([...next.sessions].filter((id) => first.sessions.has(id))).toEqual([]);
  });

  it('keeps the ids of the orders both runs generate', () => {
    const whole = idsOf(0);
    const tail = idsOf(150);
    expect([...tail.sessions].filter((id) => whole.sessions.has(id)).length).toBeGreaterThan(0);
  });

  it('shares the world (and so the dimension tables) of runs with the same worldSeed', () => {
    const hour = (seed: number) =>
      createSimulation({ scenario, orders: 300, seed, worldSeed: 5, firstOrder: seed * 300 });
    expect(hour(6).dimensions).toEqual(hour(7).dimensions);
    expect(hour(6).dimensions).toEqual(
      createSimulation({ scenario, orders: 300, seed: 5 }).dimensions,
    );
    expect(createSimulation({ scenario, orders: 300, seed: 6 }).dimensions).not.toEqual(
      hour(6).dimensions,
    );
  });

  it('refuses a first order past the range where ids stay distinct', () => {
    expect(() =>
      createSimulation({ scenario, orders: 10, seed: 1, firstOrder: 999_999_995 }),
    ).toThrow(/firstOrder must be an integer in \[0, 1000000000 - orders\]/u);
    expect(() => createSimulation({ scenario, orders: 10, seed: 1, firstOrder: -1 })).toThrow(
      /firstOrder/u,
    );
  });
});

describe.each(['in-app-purchase', 'bank-transfer'])('truth of %s', (scenario) => {
  const run = collect({
    scenario,
    orders: 3000,
    seed: 5,
    faults: 'late-data=0.05,duplicate-lines=0.05,malformed=0.05',
  });
  const byRecord = new Map<string, TruthSession>();
  for (const entry of run.truth) for (const id of entry.records) byRecord.set(id, entry);

  it('puts every record id in exactly one truth entry', () => {
    const all = run.truth.flatMap((entry) => entry.records);
    expect(new Set(all).size).toBe(all.length);
    for (const entry of run.truth) {
      const inParts = entry.expected.flatMap((part) => part.records).sort();
      if (entry.kind === 'session') expect(inParts).toEqual([...entry.records].sort());
      else expect(entry.expected).toEqual([]);
    }
  });

  it('has every parseable line tagged with a truth record of the same session, and every truth record on some line', () => {
    const seen = new Set<string>();
    let broken = 0;
    for (const lines of run.lines.values()) {
      for (const line of lines) {
        const record = tryParse(line);
        if (record === null) {
          broken += 1;
          continue;
        }
        const sim = simOf(record);
        expect(byRecord.get(sim.record)?.session).toBe(sim.session);
        seen.add(sim.record);
      }
    }
    const badJson = run.truth.filter((t) => t.malformation === 'bad_json');
    expect(broken).toBe(badJson.length);
    for (const entry of badJson) seen.add(entry.records[0] as string);
    expect(seen.size).toBe(byRecord.size);
  });

  it('writes duplicated records twice, byte-identical', () => {
    const counts = new Map<string, number>();
    for (const lines of run.lines.values())
      for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
    const twice = [...counts.values()].filter((n) => n === 2).length;
    const flagged = run.truth.reduce((sum, t) => sum + t.flags.duplicated.length, 0);
    expect(flagged).toBeGreaterThan(0);
    expect(twice).toBe(flagged);
  });

  it('delivers late records at least an hour after their event, the others within a minute', () => {
    const late = new Set(run.truth.flatMap((t) => t.flags.late));
    expect(late.size).toBeGreaterThan(0);
    expect(run.counts.faults['late-data']).toBe(late.size);
    const spec = scenarioById(scenario);
    for (const source of spec.sources) {
      const lines = run.lines.get(source.id) ?? [];
      const arrivals = run.arrivals.get(source.id) ?? [];
      lines.forEach((line, i) => {
        const record = tryParse(line);
        const skewed = byRecord.get(simOf(record ?? {})?.record ?? '')?.flags.skewed ?? [];
        if (record === null || typeof record[source.timeField] === 'object') return;
        if (record[source.timeField] === undefined) return;
        const id = simOf(record).record;
        if (skewed.includes(id)) return;
        const logged = decodeTime(record[source.timeField], source.encoding);
        const lag = (arrivals[i] as number) - logged;
        if (late.has(id)) expect(lag).toBeGreaterThanOrEqual(3_600_000);
        else expect(lag).toBeLessThan(62_000);
      });
    }
  });
});

describe('fault rates', () => {
  const orders = 20_000;
  const tolerance = (n: number, p: number) => 5 * Math.sqrt(n * p * (1 - p)) + 2;

  it.each([
    [
      'in-app-purchase',
      'paid-not-delivered=0.05,double-delivery=0.03,receipt-verify-failed=0.04,callback-lost=0.03,abandon-at-pay-page=0.1,orphan-callback=0.01,late-data=0.02,duplicate-lines=0.02,malformed=0.01,clock-skew=0.2',
    ],
    [
      'bank-transfer',
      'booked-despite-block=0.03,structuring=0.04,clearing-lost=0.05,stuck-in-review=0.03,orphan-ack=0.01,late-data=0.02,duplicate-lines=0.02,malformed=0.01,clock-skew=0.2',
    ],
  ])('%s injects each fault at its rate', (scenario, faults) => {
    const run = collect({ scenario, orders, seed: 3, faults });
    for (const pair of faults.split(',')) {
      const [name, rate] = pair.split('=') as [string, string];
      const observed = run.counts.faults[name] ?? 0;
      expect(
        Math.abs(observed - orders * Number(rate)),
        `${name}: ${String(observed)}`,
      ).toBeLessThan(tolerance(orders, Number(rate)));
    }
  });

  it('applies crash-resume at its rate among orders that reach payment, and never without', () => {
    const run = collect({
      scenario: 'in-app-purchase',
      orders,
      seed: 4,
      faults: 'crash-resume=0.1',
    });
    const sessions = run.truth.filter((t) => t.kind === 'session');
    const eligible = sessions.filter(
      (t) =>
        !t.faults.includes('abandon-at-pay-page') && !t.faults.includes('receipt-verify-failed'),
    ).length;
    const split = sessions.filter((t) => t.flags.split);
    expect(Math.abs(split.length - eligible * 0.1)).toBeLessThan(tolerance(eligible, 0.1));
    expect(
      split.every(
        (t) => t.expected.length === 2 && t.expected[0]?.conclusion === 'abandoned_at_pay_page',
      ),
    ).toBe(true);
    expect(
      collect({ scenario: 'in-app-purchase', orders: 2000, seed: 4, faults: 'none' }).counts.splits,
    ).toBe(0);
  });

  it('injects nothing with --faults none', () => {
    const run = collect({ scenario: 'in-app-purchase', orders: 2000, seed: 8, faults: 'none' });
    expect(Object.values(run.counts.faults).every((n) => n === 0)).toBe(true);
    expect(run.counts.conclusions).toEqual({ ok: 2000 });
  });
});
