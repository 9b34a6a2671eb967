import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetter, LateRecord, Orphan } from '@weft/templates';
import { StorageValidationError } from '../../src/index.js';
import type { Store } from '../../src/index.js';
import { freshStore, testBackends } from '../backends.js';

const record = (recordId: string, eventTime: number) => ({
  recordId,
  source: 'refunds',
  eventTime,
  raw: { refundId: recordId, amount: 3 },
  fields: { orderId: 'o-1' },
  late: false,
});

describe.each(testBackends())(
  'templates, dead letters, orphans and the late queue on $name',
  (backend) => {
    let store: Store;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await freshStore(backend));
    });
    afterAll(() => close?.());

    it('stores template versions as JSON and returns the latest or a given one', async () => {
      const definition = {
        id: 'order',
        version: 1,
        nodes: ['create', 'pay'],
        dashboard: { dims: ['channel'] },
      };
      await store.templates.save({
        templateId: 'order',
        version: 1,
        status: 'published',
        definition,
      });
      await store.templates.save({
        templateId: 'order',
        version: 2,
        status: 'draft',
        definition: { ...definition, version: 2 },
      });
      await store.templates.save({
        templateId: 'order',
        version: 2,
        status: 'published',
        definition: { ...definition, version: 2 },
      });
      expect(await store.templates.get('order', 1)).toMatchObject({
        version: 1,
        status: 'published',
        definition,
      });
      expect(await store.templates.get('order')).toMatchObject({ version: 2, status: 'published' });
      expect((await store.templates.versions('order')).map((t) => t.version)).toEqual([2, 1]);
      expect((await store.templates.list()).map((t) => [t.templateId, t.version])).toEqual([
        ['order', 2],
      ]);
      await expect(
        store.templates.save({ templateId: '', version: 1, status: 'x', definition }),
      ).rejects.toThrow(StorageValidationError);
    });

    it('stores a dead letter once even when it is dead-lettered again', async () => {
      const letter: DeadLetter = {
        templateId: null,
        source: 'orders',
        reason: 'not JSON',
        raw: '{"broken"',
        origin: { topic: 'orders', partition: 0, offset: '42' },
        at: 1_000,
      };
      await store.deadLetters.add([letter, letter]);
      await store.deadLetters.add([{ ...letter, at: 2_000 }]);
      const stored = await store.deadLetters.list();
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject(letter);
    });

    it('keeps orphans by template, node and record, and removes them once attached', async () => {
      const orphan: Orphan = {
        templateId: 'order',
        node: 'refund',
        record: record('r-1', 500),
        keys: { orderId: 'o-1' },
      };
      await store.orphans.add([orphan, orphan, { ...orphan, record: record('r-2', 900) }]);
      expect(await store.orphans.list('order', { from: 0, to: 600 })).toEqual([orphan]);
      await store.orphans.remove([{ templateId: 'order', node: 'refund', recordId: 'r-1' }]);
      expect((await store.orphans.list('order')).map((o) => o.record.recordId)).toEqual(['r-2']);
    });

    it('queues late records once and forgets them when acknowledged', async () => {
      const late: LateRecord = {
        templateId: 'order',
        templateVersion: 1,
        node: 'refund',
        kind: 'supplement',
        keys: { orderId: 'o-1' },
        record: record('late-1', 10),
      };
      await store.lateQueue.enqueue([late, late]);
      const queued = await store.lateQueue.peek();
      expect(queued.map((q) => q.late)).toEqual([late]);
      await store.lateQueue.acknowledge(queued.map((q) => q.id));
      expect(await store.lateQueue.peek()).toEqual([]);
    });

    it('validates operator actions', async () => {
      await expect(
        store.operatorActions.record({
          sessionId: 's',
          action: 'delete' as 'merge',
          actor: 'ana',
          at: 1,
        }),
      ).rejects.toThrow(StorageValidationError);
    });
  },
);
