import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, StorageValidationError } from '../../src/index.js';
import type { Store } from '../../src/index.js';
import { executeRaw, freshStore, tableShape, testBackends } from '../backends.js';

describe.each(testBackends())('writer epochs on $name', (backend) => {
  let store: Store;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, url, close } = await freshStore(backend));
  });
  afterAll(() => close?.());

  it('gives a template epoch 0 first, then one more at each claim, per template', async () => {
    expect(await store.epochs.claim('first')).toBe(0);
    expect(await store.epochs.claim('first')).toBe(1);
    expect(await store.epochs.claim('first', 0)).toBe(2);
    expect(await store.epochs.claim('other')).toBe(0);
    expect(await store.epochs.claim('first')).toBe(3);
  });

  it('tells the newest epoch claimed for a template, null before any claim', async () => {
    expect(await store.epochs.newest('watched')).toBeNull();
    expect(await store.epochs.claim('watched')).toBe(0);
    expect(await store.epochs.newest('watched')).toBe(0);
    expect(await store.epochs.claim('watched', 5)).toBe(5);
    expect(await store.epochs.newest('watched')).toBe(5);
    expect(await store.epochs.newest('never-claimed')).toBeNull();
    await expect(store.epochs.newest('')).rejects.toThrow(/templateId/u);
  });

  it('takes atLeast when it is above the stored epoch, and counts on from it', async () => {
    expect(await store.epochs.claim('rebuilt', 7)).toBe(7);
    expect(await store.epochs.claim('rebuilt', 3)).toBe(8);
    expect(await store.epochs.claim('rebuilt', 9)).toBe(9);
    expect(await store.epochs.claim('rebuilt', 9)).toBe(10);
    expect(await store.epochs.claim('rebuilt')).toBe(11);
  });

  it('never gives two concurrent claims from two store handles the same epoch', async () => {
    const other = await openStore(url);
    try {
      const claims = await Promise.all(
        Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? store : other).epochs.claim('raced')),
      );
      // Distinct and gapless: every claim took exactly the next epoch.
      expect([...claims].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i));
      expect(await other.epochs.claim('raced')).toBe(24);
    } finally {
      await other.close();
    }
  });

  it('refuses bad input naming the field, before any SQL', async () => {
    const cases: [string, number | undefined, RegExp][] = [
      ['', 0, /templateId/u],
      ['x'.repeat(129), 0, /templateId/u],
      ['ok', -1, /atLeast/u],
      ['ok', 1.5, /atLeast/u],
      ['ok', Number.NaN, /atLeast/u],
      ['ok', Number.MAX_SAFE_INTEGER, /atLeast/u],
    ];
    for (const [templateId, atLeast, field] of cases) {
      const claim = store.epochs.claim(templateId, atLeast);
      await expect(claim).rejects.toThrow(StorageValidationError);
      await expect(claim).rejects.toThrow(field);
    }
    expect(await store.epochs.claim('ok')).toBe(0);
  });

  it('keeps a claim made by hand (an operator raising the counter)', async () => {
    await store.epochs.claim('by-hand');
    await executeRaw(url, "UPDATE writer_epochs SET next_epoch = 40 WHERE template_id = 'by-hand'");
    expect(await store.epochs.claim('by-hand')).toBe(40);
  });

  it('stores one row per template (migration 0012), the same shape on both backends', async () => {
    expect(await tableShape(url, 'writer_epochs')).toEqual({
      columns: ['template_id', 'next_epoch', 'claimed_at'],
      indexes: { primary: ['template_id'] },
    });
  });
});
