import { describe, expect, it } from 'vitest';
import { sessionWindows } from './session-window-assigner.js';
import type { Trigger } from './trigger.js';
import { eventTimeTrigger } from './triggers/event-time-trigger.js';
import { countCompleteness, sessionTrigger } from './triggers/session-trigger.js';
import { WindowOperator } from './window-operator.js';
import type { WindowFiring, WindowRetraction } from './window-operator.js';

const list = {
  create: (): number[] => [],
  add: (acc: number[], v: number) => [...acc, v],
  merge: (a: number[], b: number[]) => [...a, ...b],
};

function harness(trigger: Trigger<number>, allowedLatenessMs = 0, identityFollowsStart = false) {
  const fired: WindowFiring<number[]>[] = [];
  const retracted: WindowRetraction[] = [];
  const late: number[] = [];
  const expired: string[] = [];
  const op = new WindowOperator<number, number[]>({
    assigner: sessionWindows(1000),
    trigger,
    aggregate: list,
    allowedLatenessMs,
    retractAbsorbedFirings: true,
    identityFollowsStart,
    output: {
      fired: (f) => fired.push(f),
      late: (_k, v) => late.push(v),
      retracted: (r) => retracted.push(r),
      expired: (key, window) => expired.push(`${key}${window.toString()}`),
    },
  });
  return { op, fired, retracted, late, expired };
}

describe('WindowOperator', () => {
  it('reports the fire cause of each firing', () => {
    const h = harness(sessionTrigger({ completeness: countCompleteness(2), timeoutMs: 10 }));
    h.op.processElement('k', 1, 0);
    h.op.advanceProcessingTime(10);
    h.op.processElement('k', 2, 1);
    h.op.advanceWatermark(1000);
    expect(h.fired.map((f) => f.cause)).toEqual(['processingTime', 'element', 'eventTime']);
  });

  it('keeps the earliest fired window as the session identity across merges and names it in retractions', () => {
    const h = harness(sessionTrigger({ completeness: countCompleteness(1), timeoutMs: 10 }));
    h.op.processElement('k', 1, 0); // fires [0,1000)
    h.op.processElement('k', 2, 2000); // fires [2000,3000)
    h.op.processElement('k', 3, 1000); // [1000,2000) touches both
    expect(h.retracted).toHaveLength(1);
    expect(h.retracted[0]!.session.start).toBe(2000);
    expect(h.retracted[0]!.into.start).toBe(0);
    const last = h.fired.at(-1)!;
    expect([last.window.start, last.window.end, last.session.start, last.session.end]).toEqual([
      0, 3000, 0, 1000,
    ]);
    expect(last.contents).toEqual([1, 2, 3]);
  });

  it('with identityFollowsStart, moves the identity to an earlier start at the next firing and reports where from', () => {
    const h = harness(
      sessionTrigger({ completeness: countCompleteness(3), timeoutMs: 10 }),
      0,
      true,
    );
    h.op.processElement('k', 1, 500);
    h.op.advanceProcessingTime(10); // fires [500,1500) as its identity
    h.op.processElement('k', 2, 200); // grows to [200,1500); no firing yet
    h.op.processElement('k', 3, 100); // complete: fires [100,1500)
    h.op.advanceWatermark(1499); // final firing, identity unchanged
    expect(
      h.fired.map((f) => [f.window.start, f.session.start, f.movedFrom?.start ?? null]),
    ).toEqual([
      [500, 500, null],
      [100, 100, 500],
      [100, 100, null],
    ]);
    expect(h.retracted).toEqual([]);
  });

  it('expires windows at end - 1 + allowed lateness and drops the key', () => {
    const h = harness(eventTimeTrigger(), 100);
    h.op.processElement('k', 1, 0);
    h.op.advanceWatermark(1098);
    expect(h.expired).toEqual([]);
    h.op.advanceWatermark(1099);
    expect(h.expired).toEqual(['k[0, 1000)']);
    expect(h.op.liveWindowCount).toBe(0);
  });

  it('sends an element to the late output without creating state', () => {
    const h = harness(eventTimeTrigger());
    h.op.advanceWatermark(5000);
    h.op.processElement('k', 7, 100);
    expect(h.late).toEqual([7]);
    expect(h.op.liveWindowCount).toBe(0);
  });

  it('rejects negative allowed lateness with the value', () => {
    expect(() => harness(eventTimeTrigger(), -1)).toThrow(/got -1/);
  });
});

describe('WindowOperator snapshots', () => {
  const codec = {
    encodeContents: (c: number[]) => c,
    decodeContents: (c: number[]) => [...c],
    encodeState: (_d: unknown, v: unknown) => v,
    decodeState: (_d: unknown, v: unknown) => v,
  };

  it('continues with the same firings, in the same order, after restore', () => {
    const trigger = sessionTrigger({ completeness: countCompleteness(3), timeoutMs: 10 });
    const original = harness(trigger);
    original.op.processElement('k', 1, 0);
    original.op.processElement('j', 2, 5);
    original.op.processElement('k', 3, 500);
    const snapshot = JSON.parse(JSON.stringify(original.op.snapshot(codec)));
    const cut = original.fired.length;
    const copy = harness(trigger);
    const restored = WindowOperator.restore<number, number[], number[], unknown>(
      {
        assigner: sessionWindows(1000),
        trigger,
        aggregate: list,
        retractAbsorbedFirings: true,
        output: {
          fired: (f) => copy.fired.push(f),
          late: (_k, v) => copy.late.push(v),
          retracted: (r) => copy.retracted.push(r),
        },
      },
      snapshot,
      codec,
    );
    for (const op of [original.op, restored]) {
      op.processElement('k', 4, 1600);
      op.advanceProcessingTime(20);
      op.advanceWatermark(5000);
    }
    expect(original.fired.length).toBeGreaterThan(2);
    expect(copy.fired.map((f) => [f.key, f.window.toString(), f.contents, f.cause])).toEqual(
      original.fired.slice(cut).map((f) => [f.key, f.window.toString(), f.contents, f.cause]),
    );
  });

  it('rejects trigger state the trigger does not declare', () => {
    const trigger = sessionTrigger({ completeness: countCompleteness(3), timeoutMs: 10 });
    const h = harness(trigger);
    h.op.processElement('k', 1, 0);
    const snapshot = h.op.snapshot(codec);
    expect(() =>
      WindowOperator.restore(
        {
          assigner: sessionWindows(1000),
          trigger: eventTimeTrigger(),
          aggregate: list,
          output: { fired: () => {}, late: () => {}, retracted: () => {} },
        },
        snapshot,
        codec,
      ),
    ).toThrow(
      /holds trigger state "element-count", which this trigger does not use \(it uses \[\]\)/,
    );
  });
});
