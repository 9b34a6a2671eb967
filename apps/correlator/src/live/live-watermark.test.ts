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

  it('does not take a partition that has not delivered yet for idle before idleTimeout of running time', () => {
    const wm = new LiveWatermark(new CombinedWatermark(options), 0, wall);
    wm.onElement('p:0', 5_000, wall + 10);
    expect(wm.current).toBeNull(); // p:1 is active and has no watermark yet
    wm.onProcessingTime(wall + 999);
    expect(wm.current).toBeNull();
    wm.onProcessingTime(wall + 1_000);
    expect(wm.current).toBe(4_989); // p:1 idle after 1 s of running time
  });

  it('continues the running clock of a restored run, not counting the downtime', () => {
    const first = new LiveWatermark(new CombinedWatermark(options), 0, wall);
    first.onElement('p:0', 5_000, wall + 100);
    first.onElement('p:1', 6_000, wall + 100);
    expect(first.clock(wall + 100)).toBe(100);
    const restarted = new LiveWatermark(first.combined, first.clock(wall + 100), wall + 3_600_000);
    expect(restarted.clock(wall + 3_600_500)).toBe(600);
    restarted.onProcessingTime(wall + 3_600_500);
    expect(restarted.current).toBe(4_989); // both partitions still active after an hour offline
  });
});
