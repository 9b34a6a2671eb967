import { describe, expect, it } from 'vitest';
import { UnfetchedBacklog } from './unfetched-backlog.js';

describe('UnfetchedBacklog', () => {
  it('holds while a partition with a lag has delivered nothing, and lets go at its first record', () => {
    const backlog = new UnfetchedBacklog();
    expect(backlog.empty).toBe(true);
    backlog.lag('weft.src.pay_done', 0, 0);
    backlog.lag('weft.src.client_order', 1, 150);
    expect(backlog.empty).toBe(false);
    backlog.fetchedFrom('weft.src.client_order', 0);
    expect(backlog.empty).toBe(false);
    backlog.fetchedFrom('weft.src.client_order', 1);
    expect(backlog.empty).toBe(true);
  });

  it('ignores the lag of a partition that has delivered (the source tracks its backlog), and forgets a lag that went to zero', () => {
    const backlog = new UnfetchedBacklog();
    backlog.fetchedFrom('weft.src.pay_done', 0);
    backlog.lag('weft.src.pay_done', 0, 40);
    expect(backlog.empty).toBe(true);
    backlog.lag('weft.src.receipt', 0, 3);
    backlog.lag('weft.src.receipt', 0, 0);
    expect(backlog.empty).toBe(true);
  });
});
