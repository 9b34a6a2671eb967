import { describe, expect, it } from 'vitest';
import { waitForLeaders } from './kafkajs-client.js';

type Metadata = { topics: { name: string; partitions: { leader: number }[] }[] };

/** A metadata source answering each call with the next step: an error type to throw, or metadata. */
function metadataSteps(steps: (string | Metadata)[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    fetchTopicMetadata: () => {
      const step = steps[Math.min(calls++, steps.length - 1)]!;
      if (typeof step === 'string') {
        const error = Object.assign(new Error(`protocol error ${step}`), { type: step });
        return Promise.reject(
          step === 'WRAPPED'
            ? new Error('retries exhausted', {
                cause: Object.assign(new Error('inner'), { type: 'LEADER_NOT_AVAILABLE' }),
              })
            : error,
        );
      }
      return Promise.resolve(step);
    },
  };
}

const led: Metadata = { topics: [{ name: 't', partitions: [{ leader: 1 }, { leader: 1 }] }] };
const leaderless: Metadata = {
  topics: [{ name: 't', partitions: [{ leader: 1 }, { leader: -1 }] }],
};

describe('waitForLeaders', () => {
  it('retries while the broker does not know the new topic yet, or a partition has no leader', async () => {
    const admin = metadataSteps(['UNKNOWN_TOPIC_OR_PARTITION', 'WRAPPED', leaderless, led]);
    await waitForLeaders(admin as never, ['t'], { delayMs: 1 });
    expect(admin.calls).toBe(4);
  });

  it('fails at once on any other error', async () => {
    const admin = metadataSteps(['TOPIC_AUTHORIZATION_FAILED', led]);
    await expect(waitForLeaders(admin as never, ['t'], { delayMs: 1 })).rejects.toThrow(
      'protocol error TOPIC_AUTHORIZATION_FAILED',
    );
    expect(admin.calls).toBe(1);
  });

  it('gives up after the timeout, saying what it waited for', async () => {
    const admin = metadataSteps([leaderless]);
    await expect(
      waitForLeaders(admin as never, ['t'], { delayMs: 5, timeoutMs: 30 }),
    ).rejects.toThrow(
      /no leader for every partition after 30 ms \(topic t has a partition without a leader\)/,
    );
  });
});
