import { CombinedWatermark } from '@weft/engine';
import { loadTemplate } from '@weft/templates';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LiveWatermark, watermarkOptionsOf } from './live-watermark.js';

const example = JSON.parse(
  readFileSync(
    new URL('../../../../packages/templates/examples/in-app-purchase.json', import.meta.url),
    'utf8',
  ),
) as { sources: { kind: string; watermark?: unknown }[] };

describe('watermarkOptionsOf', () => {
  it('takes the largest out-of-orderness and idle timeout of the event sources, one partition per topic-partition', () => {
    const definition = structuredClone(example);
    definition.sources[0]!.watermark = { outOfOrderness: '45s', idleTimeout: '20s' };
    definition.sources[1]!.watermark = { outOfOrderness: '5s', idleTimeout: '3m' };
    const options = watermarkOptionsOf(loadTemplate(definition), [
      { topic: 'a', partition: 0 },
      { topic: 'a', partition: 1 },
    ]);
    expect(options).toEqual({
      maxOutOfOrdernessMs: 45_000,
      idleTimeoutMs: 180_000,
      partitions: ['a:0', 'a:1'],
    });
  });
});

describe('LiveWatermark', () => {
  const wall = 1_795_000_000_000;
  const options = { maxOutOfOrdernessMs: 10, idleTimeoutMs: 1_000, partitions: ['p:0', 'p:1'] };

  it('takes a silent partition for idle only after idleTimeout of caught-up time', () => {
    const wm = new LiveWatermark(new CombinedWatermark(options), 0);
    wm.advanceClock(wall, false);
    wm.onElement('p:0', 5_000);
    expect(wm.current).toBeNull(); // p:1 is active and has no watermark yet
    wm.advanceClock(wall + 60_000, false); // a minute of backlog: p:1's records may be queued
    wm.onProcessingTime();
    expect(wm.current).toBeNull();
    wm.advanceClock(wall + 60_500, true);
    wm.onElement('p:0', 5_000); // p:0 keeps delivering
    wm.advanceClock(wall + 60_999, true);
    wm.onProcessingTime();
    expect(wm.current).toBeNull();
    wm.advanceClock(wall + 61_000, true);
    wm.onProcessingTime();
    expect(wm.clock).toBe(1_000);
    expect(wm.current).toBe(4_989); // p:1 idle after 1 s caught up
  });

  it('continues the clock of a restored run, not counting the downtime', () => {
    const first = new LiveWatermark(new CombinedWatermark(options), 0);
    first.advanceClock(wall, true);
    first.onElement('p:0', 5_000);
    first.onElement('p:1', 6_000);
    first.advanceClock(wall + 400, true);
    const restarted = new LiveWatermark(
      CombinedWatermark.restore(first.combined.snapshot(), options),
      first.clock,
    );
    restarted.advanceClock(wall + 3_600_000, true); // the first reading only sets the origin
    restarted.advanceClock(wall + 3_600_500, true);
    restarted.onProcessingTime();
    expect(restarted.clock).toBe(900);
    expect(restarted.current).toBe(4_989); // both partitions still active after an hour offline
  });
});
