import { readFileSync } from 'node:fs';
import { CombinedWatermark } from '@weft/engine';
import { compileTemplate, loadTemplate } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import type { SinkItem } from '../pipeline/index.js';
import { EPOCH_VERSIONS, LiveJob } from './live-job.js';
import { LiveWatermark } from './live-watermark.js';

const template = loadTemplate(
  JSON.parse(
    readFileSync(
      new URL('../../../../packages/templates/examples/in-app-purchase.json', import.meta.url),
      'utf8',
    ),
  ),
);
const wall = 1_795_000_000_000;
const t0 = 1_795_478_446_146;

/** The four baseline records of one order from `at` on, one source each. */
function orderRecords(id: string, at: number) {
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
const order = orderRecords('O1', t0);

function liveJob(epoch: number) {
  const partitions = order.map((r) => `weft.src.${r.source}:0`);
  const watermark = new LiveWatermark(
    new CombinedWatermark({ maxOutOfOrdernessMs: 10_000, idleTimeoutMs: 60_000, partitions }),
    0,
  );
  return new LiveJob(compileTemplate(template), watermark, epoch);
}

function push(job: LiveJob, record: { source: string; raw: string }, offset: number): SinkItem[] {
  return job.push(
    {
      ...record,
      origin: { topic: `weft.src.${record.source}`, partition: 0, offset: String(offset) },
      partition: `weft.src.${record.source}:0`,
    },
    wall + offset,
  );
}

describe('LiveJob', () => {
  it('fires a session once every baseline step arrived, from the records it was pushed', () => {
    const job = liveJob(0);
    const outputs = order.flatMap((record, i) => push(job, record, i));
    const sessions = outputs.flatMap((item) => (item.kind === 'session' ? [item.session] : []));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ businessKey: 'O1', version: 1, fireReason: 'complete' });
    expect(job.openSessions).toBe(1);
  });

  it('lifts session versions into its epoch, so a restarted run outranks what the crashed one stored', () => {
    const job = liveJob(3);
    const outputs = order.flatMap((record, i) => push(job, record, i));
    const session = outputs.find((item) => item.kind === 'session');
    expect(session?.kind === 'session' && session.session.version).toBe(3 * EPOCH_VERSIONS + 1);
  });

  it('turns an unusable record into a dead letter with its origin and processing time', () => {
    const job = liveJob(0);
    const [item] = push(job, { source: 'pay_done', raw: '{"order_id":"O2"}' }, 7);
    expect(item?.kind).toBe('deadLetter');
    expect(item?.kind === 'deadLetter' && item.deadLetter).toMatchObject({
      source: 'pay_done',
      origin: { topic: 'weft.src.pay_done', partition: 0, offset: '7' },
      at: wall + 7,
    });
    expect(item?.kind === 'deadLetter' && item.deadLetter.reason).toMatch(/event time/u);
  });

  it('fires final only once the watermark of every partition passed the session', () => {
    const job = liveJob(0);
    order.forEach((record, i) => push(job, record, i));
    const later = orderRecords('O9', t0 + 2 * 60 * 60 * 1_000);
    const finalOf = (items: SinkItem[]) =>
      items.filter(
        (item) =>
          item.kind === 'session' &&
          item.session.businessKey === 'O1' &&
          item.session.fireReason === 'final',
      );
    const firstThree = later.slice(0, 3).flatMap((record, i) => push(job, record, 10 + i));
    expect(finalOf(firstThree)).toEqual([]); // pay_done's partition still holds the watermark back
    const last = push(job, later[3]!, 13);
    expect(finalOf(last)).toHaveLength(1);
  });
});
