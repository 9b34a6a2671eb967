import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPartitioner, hashString } from './partition.js';
import { inAppPurchaseTemplate } from './weft-job.js';

const runs = Number(process.env.WEFT_PROPERTY_RUNS ?? 200);
const compiled = inAppPurchaseTemplate();

const line = {
  client_order: (o: string) => JSON.stringify({ ts: 1, order_id: o, role_id: `R${o}` }),
  pay_done: (o: string, t: string) =>
    JSON.stringify({ event_time_ms: 2, order_id: o, trans_id: t }),
  channel_callback: (t: string) =>
    JSON.stringify({ notify_time: '2026-01-01T00:00:00Z', trans_id: t }),
  delivery: (o: string) => JSON.stringify({ log_time: 3, role: { id: `R${o}` }, bill_no: o }),
};

/** Two strings whose hashes fall in different partitions of 2. */
function splitPair(): [string, string] {
  for (let i = 1; ; i++)
    if (hashString(`K${i}`) % 2 !== hashString('K0') % 2) return ['K0', `K${i}`];
}

describe('hashString', () => {
  it('is FNV-1a 32', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});

describe('createPartitioner', () => {
  it('sends a callback where the pay_done with its trans_id went, not where its own hash points', () => {
    const [order, trans] = splitPair();
    const p = createPartitioner(compiled, 2);
    const home = p.partitionOf('pay_done', line.pay_done(order, trans));
    expect(home).toBe(hashString(order) % 2);
    expect(p.partitionOf('channel_callback', line.channel_callback(trans))).toBe(home);
    expect(hashString(trans) % 2).not.toBe(home);
  });

  it('sends a delivery where its bill_no (the business key) goes', () => {
    const p = createPartitioner(compiled, 2);
    const [a, b] = splitPair();
    expect(p.partitionOf('delivery', line.delivery(a))).toBe(hashString(a) % 2);
    expect(p.partitionOf('delivery', line.delivery(b))).toBe(hashString(b) % 2);
  });

  it('sends an unparsable line by its own hash and counts a trans_id claimed by two partitions', () => {
    const p = createPartitioner(compiled, 2);
    expect(p.partitionOf('pay_done', '{not json')).toBe(hashString('{not json') % 2);
    const [a, b] = splitPair();
    p.partitionOf('pay_done', line.pay_done(a, 'T'));
    p.partitionOf('pay_done', line.pay_done(b, 'T'));
    expect(p.conflicts).toBe(1);
  });

  it('keeps every record of an order in one partition', () => {
    const orders = fc.uniqueArray(fc.stringMatching(/^[A-Z0-9]{1,8}$/), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(orders, fc.integer({ min: 1, max: 5 }), (ids, parallelism) => {
        const p = createPartitioner(compiled, parallelism);
        const homes = ids.map((o) => [
          p.partitionOf('client_order', line.client_order(o)),
          p.partitionOf('pay_done', line.pay_done(o, `T-${o}`)),
        ]);
        ids.forEach((o, i) => {
          const [created, paid] = homes[i]!;
          expect(paid).toBe(created);
          expect(p.partitionOf('channel_callback', line.channel_callback(`T-${o}`))).toBe(created);
          expect(p.partitionOf('delivery', line.delivery(o))).toBe(created);
          expect(created).toBeLessThan(parallelism);
        });
      }),
      { numRuns: runs },
    );
  });
});
