import { describe, expect, it } from 'vitest';
import { resolveOptions } from './options.js';
import { collect, tryParse } from './test-support.js';
import type { TruthSession } from './truth.js';

const options = {
  scenario: 'in-app-purchase',
  orders: 3000,
  seed: 11,
  faults: 'fraud-ring=0.04,card-testing=0.004',
} as const;
const run = collect(options);

/** client_order bodies by record id. */
function clientOrders(lines: Map<string, string[]>) {
  const out = new Map<
    string,
    { order_id: string; account: { id: string; device_id: string }; amount_cents: number }
  >();
  for (const line of lines.get('client_order') ?? []) {
    const body = tryParse(line) as { _sim: { record: string } } | null;
    if (body !== null) out.set(body._sim.record, body as never);
  }
  return out;
}

const orders = clientOrders(run.lines);
const ofPattern = (pattern: string) =>
  run.truth.filter((t) => t.patterns?.some((p) => p.pattern === pattern));
const byInstance = (entries: TruthSession[]) => {
  const groups = new Map<string, TruthSession[]>();
  for (const entry of entries) {
    const instance = entry.patterns?.[0]?.instance as string;
    groups.set(instance, [...(groups.get(instance) ?? []), entry]);
  }
  return groups;
};
const firstOrder = (entry: TruthSession) =>
  entry.records.map((id) => orders.get(id)).find((o) => o !== undefined);

describe('fraud rings', () => {
  const ringSessions = ofPattern('fraud-ring');

  it('are drawn at about their rate and tagged with the detecting conclusion', () => {
    expect(ringSessions.length).toBeGreaterThan(0.04 * 3000 * 0.7);
    expect(ringSessions.length).toBeLessThan(0.04 * 3000 * 1.3);
    for (const entry of ringSessions) {
      expect(entry.patterns).toEqual([
        expect.objectContaining({ pattern: 'fraud-ring', conclusion: 'shared_device_ring' }),
      ]);
      expect(entry.faults).toContain('fraud-ring');
    }
  });

  it('put many accounts on few devices, and no regular player on a ring device', () => {
    const ringDevices = new Set<string>();
    for (const [, sessions] of byInstance(ringSessions)) {
      const accounts = new Set(sessions.map((s) => firstOrder(s)?.account.id));
      const devices = new Set(sessions.map((s) => firstOrder(s)?.account.device_id));
      for (const d of devices) ringDevices.add(d as string);
      expect(devices.size).toBeLessThanOrEqual(3);
      if (sessions.length >= 12) expect(accounts.size).toBeGreaterThan(devices.size * 2);
    }
    const ringIds = new Set(ringSessions.map((s) => s.session));
    for (const entry of run.truth) {
      if (entry.kind !== 'session' || ringIds.has(entry.session)) continue;
      const device = firstOrder(entry)?.account.device_id;
      if (device !== undefined) expect(ringDevices.has(device)).toBe(false);
    }
  });
});

describe('card-testing bursts', () => {
  const bursts = byInstance(ofPattern('card-testing'));

  it('are 8–20 cheap orders of one account within minutes, each a true session of its own', () => {
    expect(bursts.size).toBeGreaterThan(0);
    for (const [instance, sessions] of bursts) {
      expect(sessions.length, instance).toBeGreaterThanOrEqual(8);
      expect(sessions.length, instance).toBeLessThanOrEqual(20);
      const first = sessions[0] as TruthSession;
      expect(sessions.slice(1).map((s) => s.session)).toEqual(
        sessions.slice(1).map((_, n) => `${first.session}~b${String(n + 1)}`),
      );
      const bodies = sessions.map((s) => firstOrder(s));
      expect(new Set(bodies.map((b) => b?.account.id)).size).toBe(1);
      expect(new Set(bodies.map((b) => b?.order_id)).size).toBe(sessions.length);
      expect(bodies.every((b) => b?.amount_cents === 600)).toBe(true);
      const times = sessions.map((s) => Number(tryParse(findLine(s.records[0] as string))?.['ts']));
      expect(Math.max(...times) - Math.min(...times)).toBeLessThan(20 * 40_000);
    }
  });

  it('decline about a quarter of their payments at the receipt', () => {
    const all = [...bursts.values()].flat();
    const declined = all.filter((s) => s.conclusion === 'receipt_verify_failed').length;
    expect(declined / all.length).toBeGreaterThan(0.1);
    expect(declined / all.length).toBeLessThan(0.4);
  });
});

describe('pattern faults', () => {
  it('keep every record id in exactly one truth line and every order id unique', () => {
    const ids = run.truth.flatMap((t) => t.records);
    expect(new Set(ids).size).toBe(ids.length);
    const orderIds = [...orders.values()].map((o) => o.order_id);
    const sessionsPerOrder = new Map<string, Set<string>>();
    for (const [record, order] of orders) {
      const session = record.slice(0, record.lastIndexOf('/'));
      sessionsPerOrder.set(
        order.order_id,
        (sessionsPerOrder.get(order.order_id) ?? new Set()).add(session.replace(/~dl$/, '')),
      );
    }
    expect(orderIds.length).toBeGreaterThan(3000);
    for (const [order, sessions] of sessionsPerOrder) expect(sessions.size, order).toBe(1);
  });

  it('are deterministic by seed', () => {
    const again = collect(options);
    expect(again.truth).toEqual(run.truth);
    expect(again.lines).toEqual(run.lines);
  });

  it('are off by default, and then no truth line carries patterns', () => {
    expect(
      resolveOptions({ scenario: 'in-app-purchase', orders: 1, seed: 1 }).faults,
    ).toMatchObject({
      'fraud-ring': 0,
      'card-testing': 0,
    });
    const plain = collect({ ...options, faults: undefined, orders: 300 });
    expect(plain.truth.some((t) => 'patterns' in t)).toBe(false);
  });

  it('reject pattern rates that add up to more than 1', () => {
    expect(() => resolveOptions({ ...options, faults: 'fraud-ring=0.7,card-testing=0.5' })).toThrow(
      'pattern fault rates of in-app-purchase add up to 1.200 > 1',
    );
  });
});

function findLine(recordId: string): string {
  for (const lines of run.lines.values())
    for (const line of lines) if (line.includes(`"record":"${recordId}"`)) return line;
  throw new Error(`no line for ${recordId}`);
}
