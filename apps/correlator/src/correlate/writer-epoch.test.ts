import type { Session } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import type { SinkItem } from '../pipeline/index.js';
import type { CorrelationJob } from '../run/index.js';
import { jobInEpoch } from './writer-epoch.js';

const session = (version: number): SinkItem => ({
  kind: 'session',
  session: { sessionId: 's', version } as Session,
});
const retraction = (version: number): SinkItem => ({
  kind: 'retraction',
  retraction: { sessionId: 'b', templateId: 't', mergedInto: 's', version },
});
const orphan = { kind: 'orphan', orphan: { recordId: 'r' } } as unknown as SinkItem;

/** A job that emits the same items from every step. */
function emitting(items: readonly SinkItem[]): CorrelationJob {
  return {
    templateId: 't',
    sources: ['a'],
    push: () => items,
    advanceProcessingTime: () => items,
    finish: () => items,
    openSessions: () => 7,
  };
}

describe('jobInEpoch', () => {
  const items = [session(3), retraction(2), orphan];

  it('lifts session and retraction versions into the epoch from every step, and passes the rest', () => {
    const job = jobInEpoch(emitting(items), 2);
    const lifted = [session(2_000_003), retraction(2_000_002), orphan];
    expect(job.push({ source: 'a', raw: '{}', origin: {} as never }, 0)).toEqual(lifted);
    expect(job.advanceProcessingTime(0)).toEqual(lifted);
    expect(job.finish(0)).toEqual(lifted);
    expect([job.templateId, job.sources, job.openSessions()]).toEqual(['t', ['a'], 7]);
  });

  it('leaves the versions as they are in epoch 0', () => {
    expect(jobInEpoch(emitting(items), 0).finish(0)).toEqual(items);
  });
});
