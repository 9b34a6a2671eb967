import { CombinedWatermark } from '@weft/engine';
import { applyMigrations, openStore } from '@weft/storage';
import { compileTemplate, loadTemplate } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { exampleDefinition, orderRecords } from '../../test/support/example-orders.js';
import { LiveJob } from './live-job.js';
import { LiveWatermark } from './live-watermark.js';
import { latestPublished, pollTemplate, stateCompatible } from './template-change.js';

const definition = exampleDefinition();
const v1 = loadTemplate(definition);

/** The example at `version` with its first conclusion relabelled (a change that keeps the state). */
function relabelled(version: number, label: string) {
  const next = structuredClone(definition);
  next.version = version;
  next.conclusions[0]!.label = label;
  return next;
}

describe('live template changes', () => {
  it('a change of conclusions keeps the state; a change of a source does not', () => {
    expect(stateCompatible(v1, loadTemplate(relabelled(2, 'Paid, never delivered')))).toBe(true);
    const sourceChanged = structuredClone(definition);
    sourceChanged.version = 2;
    sourceChanged.sources[0]!.watermark!.outOfOrderness = '30s';
    expect(stateCompatible(v1, loadTemplate(sourceChanged))).toBe(false);
  });

  it('follows the highest published version in the store, not drafts', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await applyMigrations(store);
      expect(await latestPublished(store, v1.id)).toBeNull();
      await store.templates.save({
        templateId: v1.id,
        version: 1,
        status: 'published',
        definition,
      });
      await store.templates.save({
        templateId: v1.id,
        version: 3,
        status: 'draft',
        definition: { ...relabelled(3, 'draft'), status: 'draft' },
      });
      expect((await latestPublished(store, v1.id))?.version).toBe(1);
      await store.templates.save({
        templateId: v1.id,
        version: 2,
        status: 'published',
        definition: relabelled(2, 'Paid, never delivered'),
      });
      const change = await pollTemplate(() => latestPublished(store, v1.id), v1);
      expect(change.kind).toBe('compatible');
      expect(change.kind !== 'none' && change.template.version).toBe(2);
      expect(
        (
          await pollTemplate(
            () => latestPublished(store, v1.id),
            change.kind !== 'none' ? change.template : v1,
          )
        ).kind,
      ).toBe('none');
    } finally {
      await store.close();
    }
  });

  it('a live job switched to a new version keeps its open session and fires it with the new version', () => {
    const t0 = 1_795_478_446_146;
    const id = 'O1';
    const records = orderRecords(id, t0);
    const partitions = records.map((r) => `weft.src.${r.source}:0`);
    const watermark = new LiveWatermark(
      new CombinedWatermark({ maxOutOfOrdernessMs: 10_000, idleTimeoutMs: 60_000, partitions }),
      0,
    );
    const job = new LiveJob(compileTemplate(v1), watermark, 0, undefined, { advanceEveryMs: 0 });
    const push = (i: number) =>
      job.push(
        {
          ...records[i]!,
          origin: { topic: `weft.src.${records[i]!.source}`, partition: 0, offset: String(i) },
          partition: partitions[i]!,
        },
        1_000 + i,
      );
    expect([0, 1, 2].flatMap(push).filter((item) => item.kind === 'session')).toEqual([]);
    job.switchTemplate(compileTemplate(loadTemplate(relabelled(2, 'Paid, never delivered'))));
    const fired = push(3).flatMap((item) => (item.kind === 'session' ? [item.session] : []));
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ businessKey: id, templateVersion: 2, version: 1 });
    expect(fired[0]!.nodes.map((n) => n.node).sort()).toEqual([
      'client_order',
      'pay_done',
      'pay_page',
      'receipt',
    ]);
    expect(job.job.snapshot().templateVersion).toBe(2);
  });
});
