import { describe, expect, it } from 'vitest';
import { relatedLinks } from './related';

describe('relatedLinks', () => {
  it('offers identity and payment fields, not the business key or empty values', () => {
    const links = relatedLinks(
      {
        order_id: 'O1',
        role_id: 'R7',
        device_id: 'D3',
        trans_id: 'T9',
        channel: 'alipay',
        account_id: '',
        paid: true,
      },
      'order_id',
    );
    expect(links).toEqual([
      { field: 'device_id', value: 'D3', query: 'device_id=D3' },
      { field: 'role_id', value: 'R7', query: 'role_id=R7' },
      { field: 'trans_id', value: 'T9', query: 'trans_id=T9' },
    ]);
  });
});
