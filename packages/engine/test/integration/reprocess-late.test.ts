import { describe, expect, it } from 'vitest';
import { CorrelationJob, latestSessions, reprocessLate } from '../../src/index.js';
import type { JobEvent } from '../../src/index.js';
import { purchaseRecord, purchaseTemplate } from '../support/in-app-purchase.js';

const compiled = purchaseTemplate();
const T0 = 1_764_000_000_000;
const HOUR = 3_600_000;

/** Runs the live job over inputs in the given order with the given watermarks after each. */
function run(steps: { input: ReturnType<typeof purchaseRecord>; watermark: number }[]): JobEvent[] {
  const events: JobEvent[] = [];
  const job = new CorrelationJob(compiled, { emit: (e) => events.push(e) });
  for (const step of steps) {
    job.ingest(step.input);
    job.advanceWatermark(step.watermark);
  }
  job.advanceWatermark(Number.POSITIVE_INFINITY);
  return events;
}

function lateOf(events: JobEvent[]) {
  const late = events.flatMap((e) => (e.type === 'late' ? [e.late] : []));
  expect(late).toHaveLength(1);
  return late[0]!;
}

describe('reprocessLate with redelivered records', () => {
  it('does not store a second orphan for a late copy of a stored orphan', () => {
    // A callback without a matching session, then the same line again after the watermark passed it.
    const callback = purchaseRecord('channel_callback', 2, T0 + 2_000);
    const events = run([
      { input: callback, watermark: T0 - 8_001 },
      { input: purchaseRecord('pay_done', 0, T0 + 13_000), watermark: T0 + 2_999 },
      { input: callback, watermark: T0 + 2_999 },
    ]);
    const orphans = events.flatMap((e) => (e.type === 'orphan' ? [e.orphan] : []));
    expect(orphans).toHaveLength(1);

    const outcome = reprocessLate(
      { sessions: latestSessions(events), orphans },
      lateOf(events),
      compiled,
    );
    expect(outcome).toEqual({ sessions: [], retractions: [], orphan: null, adoptedOrphans: [] });
  });

  it('does not bump the version of a session that already holds the late record', () => {
    const order = purchaseRecord('client_order', 1, T0);
    const events = run([
      { input: order, watermark: T0 - 10_001 },
      // Far past the session gap and the allowed lateness: the first session is closed and fired.
      { input: purchaseRecord('pay_page', 1, T0 + 3 * HOUR), watermark: T0 + 3 * HOUR - 10_001 },
      { input: order, watermark: T0 + 3 * HOUR - 10_001 },
    ]);
    const sessions = latestSessions(events);
    expect(sessions).toHaveLength(2);

    const outcome = reprocessLate({ sessions }, lateOf(events), compiled);
    expect(outcome.sessions).toEqual([]);
    expect(outcome.retractions).toEqual([]);
  });

  it('still orphans a late supplement that is new and matches no session', () => {
    const events = run([
      { input: purchaseRecord('pay_done', 0, T0 + 13_000), watermark: T0 + 2_999 },
      { input: purchaseRecord('channel_callback', 5, T0 + 2_000), watermark: T0 + 2_999 },
    ]);
    const outcome = reprocessLate(
      { sessions: latestSessions(events), orphans: [] },
      lateOf(events),
      compiled,
    );
    expect(outcome.orphan?.record.recordId).toBe(lateOf(events).record.recordId);
  });
});
