import { describe, expect, it } from 'vitest';
import { HOSTILE_CATEGORIES, hostileRecords } from './hostile.js';
import { scenarioById } from './options.js';

const all = (seed: number, count = 240, scenario = 'in-app-purchase') => [
  ...hostileRecords({ scenario, count, seed, hugeSize: 1000 }),
];

describe('hostileRecords', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(all(7)).toEqual(all(7));
    expect(all(7).map((r) => r.source)).not.toEqual(all(8).map((r) => r.source));
  });

  it('rotates through every category over the scenario sources', () => {
    const records = all(1);
    expect(records).toHaveLength(240);
    expect(new Set(records.map((r) => r.category))).toEqual(new Set(HOSTILE_CATEGORIES));
    const sources = new Set(scenarioById('in-app-purchase').sources.map((s) => s.id));
    for (const r of records) expect(sources.has(r.source)).toBe(true);
  });

  it('gives lines no parser accepts as an object with a usable time', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const times = new Map(scenarioById('in-app-purchase').sources.map((s) => [s.id, s.timeField]));
    for (const r of all(3)) {
      let value: unknown;
      try {
        value = JSON.parse(decoder.decode(r.bytes));
      } catch {
        continue; // not UTF-8 or not JSON: unusable, as intended
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      const time = Object.hasOwn(value, times.get(r.source)!)
        ? (value as Record<string, unknown>)[times.get(r.source)!]
        : undefined;
      const plausible =
        (typeof time === 'number' && time > 0 && time < 253_402_300_800_000) ||
        (typeof time === 'string' && /^\d{4}-\d\d-\d\dT/.test(time));
      expect(plausible, `${r.category}: ${r.bytes.toString('utf8').slice(0, 120)}`).toBe(false);
    }
  });

  it('rejects a count that is not a whole number', () => {
    expect(() => all(1, -1)).toThrow(/count must be a whole number/);
    expect(() => all(1, 1.5)).toThrow(/count must be a whole number/);
  });
});
