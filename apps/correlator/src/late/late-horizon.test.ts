import type { LateRecord } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { exampleTemplate } from '../../test/support/example-orders.js';
import { reprocessHorizon } from './late-horizon.js';
import { PendingLate } from './pending-late.js';

const { entities: _entities, ...withoutEntities } = exampleTemplate;
const template = withoutEntities;
const MIN = 60_000;

function late(kind: LateRecord['kind'], node: string, eventTime: number, id = 'r'): LateRecord {
  return {
    templateId: template.id,
    templateVersion: template.version,
    node,
    kind,
    keys: {},
    record: { recordId: id, source: node, eventTime, raw: {}, fields: {}, late: true },
  };
}

describe('reprocessHorizon (example template: gap 20m, maxSpan 2h, lateness 5m, callback -1m..30m, delivery 0..20m)', () => {
  it('waits for a late supplement until every session with an anchor in its bounds is forgotten', () => {
    // anchor <= ts + 1m; that session ends by ts + 1m + 2h; forgotten after max(20m - 1 + 5m, 30m + 1).
    expect(reprocessHorizon(template, late('supplement', 'channel_callback', 0))).toBe(
      MIN + 120 * MIN + 30 * MIN + 1,
    );
    expect(reprocessHorizon(template, late('supplement', 'delivery', 0))).toBe(
      120 * MIN + 30 * MIN + 1,
    );
  });

  it('waits for a late baseline record until touching sessions are forgotten and waiting supplements are orphans', () => {
    // touching sessions end by ts + gap + maxSpan; a callback (31m wide) waits in the buffer 31m + 25m - 1 + 2h.
    const touching = 20 * MIN + 120 * MIN + 30 * MIN + 1;
    const buffered = 31 * MIN + 25 * MIN - 1 + 120 * MIN;
    expect(reprocessHorizon(template, late('baseline', 'pay_done', 1_000))).toBe(
      1_000 + Math.max(touching, buffered),
    );
  });
});

describe('reprocessHorizon with entity profiles (the example template as published)', () => {
  it('also waits until every session the record could touch has settled its profile steps', () => {
    // settleDelay = gap + maxSpan + lateness = 145m after the last observation,
    // which is at most the session's last record (baseline end + widest upper 30m).
    const settled = 30 * MIN + 145 * MIN;
    expect(exampleTemplate.entities).toBeDefined();
    expect(reprocessHorizon(exampleTemplate, late('supplement', 'channel_callback', 0))).toBe(
      MIN + 120 * MIN + settled,
    );
    expect(reprocessHorizon(exampleTemplate, late('baseline', 'pay_done', 1_000))).toBe(
      1_000 + 20 * MIN + 120 * MIN + settled,
    );
  });
});

describe('PendingLate', () => {
  it('releases records in horizon order once the watermark has passed the horizon, and only when done', () => {
    const pending = new PendingLate(template);
    const a = late('supplement', 'delivery', 10 * MIN, 'a');
    const b = late('supplement', 'delivery', 0, 'b');
    pending.add(a);
    pending.add(b);
    const horizonB = reprocessHorizon(template, b);
    expect(pending.nextReady(null)).toBeUndefined();
    expect(pending.nextReady(horizonB)).toBeUndefined(); // strictly past it
    expect(pending.nextReady(horizonB + 1)).toBe(b);
    expect(pending.nextReady(horizonB + 1)).toBe(b); // still queued until done
    pending.done(b);
    expect(pending.nextReady(horizonB + 1)).toBeUndefined();
    expect(pending.list()).toEqual([a]);
    expect(pending.size).toBe(1);
  });

  it('keeps arrival order between records of the same horizon', () => {
    const pending = new PendingLate(template);
    const first = late('supplement', 'delivery', 0, 'first');
    const second = late('supplement', 'delivery', 0, 'second');
    pending.add(first);
    pending.add(second);
    expect(pending.list()).toEqual([first, second]);
  });
});
