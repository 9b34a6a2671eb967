// Synthetic in-app-purchase traffic for the benchmarks: 10 raw lines per order.
import type { RawInput } from '../src/index.js';
import { purchaseRecord } from '../test/support/in-app-purchase.js';

export const SPACING_MS = 200; // a new order every 200 ms: ~6,000 sessions open at once (gap 20 min)
export const T0 = 1_764_000_000_000;
export const LINES_PER_SESSION = 10;

export interface TimedInput {
  readonly at: number;
  readonly input: RawInput;
}

/** Ten raw lines per order: the four baseline steps (pay page three times), both supplements, two duplicated lines. */
function sessionLines(n: number): TimedInput[] {
  const t0 = T0 + n * SPACING_MS;
  const at = (offset: number, input: RawInput) => ({ at: t0 + offset, input });
  const order = purchaseRecord('client_order', n, t0);
  const delivery = purchaseRecord('delivery', n, t0 + 35_000);
  return [
    at(0, order),
    at(2_000, purchaseRecord('pay_page', n, t0 + 2_000, 0)),
    at(4_000, purchaseRecord('pay_page', n, t0 + 4_000, 1)),
    at(6_000, purchaseRecord('pay_page', n, t0 + 6_000, 2)),
    at(12_000, purchaseRecord('receipt', n, t0 + 12_000)),
    at(30_000, purchaseRecord('pay_done', n, t0 + 30_000)),
    at(31_000, purchaseRecord('channel_callback', n, t0 + 31_000)),
    at(35_000, delivery),
    at(36_000, order),
    at(37_000, delivery),
  ];
}

/** The lines of `sessions` orders in arrival (event-time) order. */
export function generate(sessions: number): TimedInput[] {
  const lines: TimedInput[] = [];
  for (let n = 0; n < sessions; n++) for (const line of sessionLines(n)) lines.push(line);
  return lines.sort((a, b) => a.at - b.at);
}
