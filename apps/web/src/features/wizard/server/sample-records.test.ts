import { applyMigrations, openStore } from '@weft/storage';
import { describe, expect, it } from 'vitest';
import { paidNotDelivered } from '@/features/session/lib/fixtures';
import { recentSampleLines } from './sample-records';

describe('recentSampleLines', () => {
  it('turns the stored sessions of a template into sample lines', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      await applyMigrations(store);
      await store.sessions.upsert([paidNotDelivered()]);
      const lines = (await recentSampleLines(store, 'in-app-purchase')).split('\n');
      expect(lines).toHaveLength(5);
      expect(lines[0]).toMatch(/^client_order \{"source":"client_order","at":0,/);
      expect(JSON.parse(lines[0]!.slice('client_order '.length))).toEqual(
        paidNotDelivered().nodes[0]!.records[0]!.raw,
      );
      expect(await recentSampleLines(store, 'no-such-template')).toBe('');
      expect((await recentSampleLines(store, 'in-app-purchase', 3, 2)).split('\n')).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});
