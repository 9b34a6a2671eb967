import { readFileSync } from 'node:fs';
import { loadTemplate } from '@weft/templates';

/** The example in-app-purchase template as JSON (a fresh copy each call, to modify). */
export function exampleDefinition(): {
  version: number;
  status: string;
  conclusions: { label: string }[];
  sources: { watermark?: { outOfOrderness: string } }[];
} {
  return JSON.parse(
    readFileSync(
      new URL('../../../../packages/templates/examples/in-app-purchase.json', import.meta.url),
      'utf8',
    ),
  ) as ReturnType<typeof exampleDefinition>;
}

/** The example in-app-purchase template, validated. */
export const exampleTemplate = loadTemplate(exampleDefinition());

/**
 * The four baseline records of one order from `at` on, in the example's raw
 * shapes, one source each; pay_done (at + 9 s) completes it.
 */
export function orderRecords(id: string, at: number): { source: string; raw: string }[] {
  return [
    { source: 'client_order', raw: `{"ts":${at},"order_id":"${id}","role_id":"R1"}` },
    {
      source: 'pay_page',
      raw: `{"time":"${new Date(at + 2_000).toISOString()}","orderId":"${id}"}`,
    },
    {
      source: 'receipt',
      raw: `{"t":${Math.floor(at / 1_000) + 5},"order":"${id}","receipt":{"verify":"ok"}}`,
    },
    {
      source: 'pay_done',
      raw: `{"event_time_ms":${at + 9_000},"order_id":"${id}","trans_id":"T${id}","status":"SUCCESS"}`,
    },
  ];
}
