import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import type { LiveJob } from './live-job.js';
import { ConsumedOffsets, createCheckpointer } from './live-checkpoint.js';

function harness(options: { saveFails?: boolean; commitFails?: boolean } = {}) {
  const steps: string[] = [];
  const offsets = new ConsumedOffsets([{ topic: 't', partition: 1, nextOffset: '5' }]);
  let release: (() => void) | undefined;
  const checkpoints = createCheckpointer({
    job: {} as LiveJob,
    offsets,
    writer: {
      flush: () =>
        new Promise<void>((resolve) => {
          steps.push('flush');
          release = resolve;
        }),
    },
    consumer: {
      commit: async (commits) => {
        steps.push(`commit ${JSON.stringify(commits)}`);
        if (options.commitFails) throw new Error('rebalancing');
      },
    },
    save: async (_job, commits) => {
      steps.push(
        `save ${commits.map((c) => `${c.topic}[${c.partition}]@${c.nextOffset}`).join(',')}`,
      );
      if (options.saveFails) throw new Error('disk full');
    },
    setFeeding: (feeding) => steps.push(feeding ? 'resume' : 'stop'),
    logger: createLogger({ level: 'silent' }),
  });
  const flushed = async () => {
    while (release === undefined) await new Promise((r) => setTimeout(r, 1));
    const r = release;
    release = undefined;
    r();
  };
  return { steps, offsets, checkpoints, flushed };
}

describe('createCheckpointer', () => {
  it('stops feeding, waits for the store, saves the consumed offsets, commits them, resumes', async () => {
    const { steps, offsets, checkpoints, flushed } = harness();
    offsets.consumed('t', 0, '41');
    const taken = checkpoints.take('interval');
    expect(checkpoints.inProgress).toBe(true);
    expect(steps).toEqual(['stop', 'flush']); // nothing is saved before the store acknowledged
    await flushed();
    await taken;
    expect(steps).toEqual([
      'stop',
      'flush',
      'save t[1]@5,t[0]@42',
      'commit [{"topic":"t","partition":1,"nextOffset":"5"},{"topic":"t","partition":0,"nextOffset":"42"}]',
      'resume',
    ]);
    expect(checkpoints.inProgress).toBe(false);
  });

  it('keeps a checkpoint whose commit failed, and resumes after a failed save at an interval', async () => {
    const commitFails = harness({ commitFails: true });
    const first = commitFails.checkpoints.take('interval');
    await commitFails.flushed();
    await expect(first).resolves.toBeUndefined();
    const saveFails = harness({ saveFails: true });
    const second = saveFails.checkpoints.take('interval');
    await saveFails.flushed();
    await expect(second).resolves.toBeUndefined();
    expect(saveFails.steps.at(-1)).toBe('resume');
    expect(saveFails.steps.some((s) => s.startsWith('commit'))).toBe(false); // nothing committed without a checkpoint
  });

  it('takes its own shutdown checkpoint after one in progress, and throws when it fails', async () => {
    const { steps, checkpoints, flushed } = harness({ saveFails: true });
    const interval = checkpoints.take('interval');
    const shutdown = checkpoints.take('shutdown');
    await flushed();
    await interval;
    await flushed();
    await expect(shutdown).rejects.toThrow('disk full');
    expect(steps.filter((s) => s === 'flush')).toHaveLength(2);
  });
});
