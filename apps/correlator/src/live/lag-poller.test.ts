import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import { startLagPoller } from './lag-poller.js';

const logger = createLogger({ level: 'silent' });

function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

describe('startLagPoller', () => {
  it('reports end offset minus the next offset to process, for the partitions read so far', async () => {
    const reports = new Map<string, number>();
    const poller = startLagPoller({
      admin: {
        connect: async () => undefined,
        disconnect: async () => undefined,
        fetchTopicEndOffsets: async () => [
          { partition: 0, offset: '120' },
          { partition: 1, offset: '7' },
          { partition: 2, offset: '50' },
        ],
      },
      topics: ['src.pay_done'],
      consumed: () => [
        { topic: 'src.pay_done', partition: 0, nextOffset: '100' },
        { topic: 'src.pay_done', partition: 1, nextOffset: '9' },
      ],
      report: (topic, partition, lag) => reports.set(`${topic}/${partition}`, lag),
      intervalMs: 5,
      logger,
    });
    await until(() => reports.size === 2);
    await poller.stop();
    // Partition 2 was never read: no lag is claimed for it; a position past the
    // end (a truncated log) counts as no lag, not a negative one.
    expect(Object.fromEntries(reports)).toEqual({ 'src.pay_done/0': 20, 'src.pay_done/1': 0 });
  });

  it('keeps polling after a failed fetch (the broker is down), reconnecting first', async () => {
    let connects = 0;
    let fetches = 0;
    const lags: number[] = [];
    const poller = startLagPoller({
      admin: {
        connect: async () => void connects++,
        disconnect: async () => undefined,
        fetchTopicEndOffsets: async () => {
          fetches++;
          if (fetches === 1) throw new Error('ECONNREFUSED');
          return [{ partition: 0, offset: '10' }];
        },
      },
      topics: ['t'],
      consumed: () => [{ topic: 't', partition: 0, nextOffset: '4' }],
      report: (_topic, _partition, lag) => lags.push(lag),
      intervalMs: 5,
      logger,
    });
    await until(() => lags.length > 0);
    await poller.stop();
    expect(lags[0]).toBe(6);
    expect(connects).toBeGreaterThanOrEqual(2);
  });
});
