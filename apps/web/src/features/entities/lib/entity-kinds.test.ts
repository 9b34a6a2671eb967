import { EntitiesSchema } from '@weft/templates';
import { describe, expect, it } from 'vitest';
import { entityFieldKinds, entityHref, entityKindsOf, fieldValueLink } from './entity-kinds';

/** An `entities` section like the in-app purchase example's, parsed by the templates schema. */
const purchase = {
  entities: EntitiesSchema.parse({
    kinds: [
      {
        id: 'account',
        label: 'Player account',
        field: 'account_id',
        features: [
          {
            name: 'payments_10m',
            agg: 'count',
            window: '10m',
            description: 'Payments in the 10 minutes before this one',
          },
          { name: 'payments_1h', agg: 'count', window: '1h' },
          { name: 'spend_24h', agg: 'sum', field: 'paid_amount', window: '24h' },
          { name: 'devices_30d', agg: 'distinct', field: 'device_id', window: '30d' },
          {
            name: 'last_paid_before_24h',
            agg: 'last_seen',
            window: { last: '90d', offset: '24h' },
          },
        ],
      },
      {
        id: 'device',
        label: 'Device',
        field: 'device_id',
        features: [{ name: 'ring_accounts', agg: 'component_count', of: 'account' }],
      },
      { id: 'ip', field: 'ip' },
    ],
  }),
};

describe('entityKindsOf', () => {
  it('lists the declared kinds with their fields, feature session fields and units', () => {
    const kinds = entityKindsOf(purchase);
    expect(kinds.map((k) => [k.id, k.field])).toEqual([
      ['account', 'account_id'],
      ['device', 'device_id'],
      ['ip', 'ip'],
    ]);
    const account = kinds[0]!;
    expect(account.label).toBe('Player account');
    const byName = Object.fromEntries(account.features.map((f) => [f.name, f]));
    expect(byName.payments_1h).toMatchObject({
      sessionField: 'entity.account.payments_1h',
      unit: 'sessions',
      title: 'payments_1h',
    });
    expect(byName.spend_24h?.unit).toBe('sum of paid_amount');
    expect(byName.devices_30d?.unit).toBe('distinct device_id');
    expect(byName.last_paid_before_24h?.unit).toBe('hours before the session');
    expect(byName.payments_10m?.title).toBe('Payments in the 10 minutes before this one');
    const device = kinds[1]!;
    expect(device.label).toBe('Device');
    expect(kinds[2]!.label).toBe('ip');
    expect(device.features.find((f) => f.name === 'ring_accounts')?.unit).toBe(
      'account entities in the component',
    );
  });

  it('is empty for a template without entities', () => {
    expect(entityKindsOf({ entities: undefined })).toEqual([]);
    expect(entityFieldKinds({ entities: undefined })).toEqual({});
  });

  it('maps each entity field to its kind', () => {
    expect(entityFieldKinds(purchase)).toEqual({
      account_id: 'account',
      device_id: 'device',
      ip: 'ip',
    });
  });
});

describe('fieldValueLink', () => {
  const fields = { device_id: 'device' };

  it('sends an entity field value to its entity page, encoded', () => {
    expect(fieldValueLink('iap', fields, 'device_id', 'D 7/x')).toMatchObject({
      href: '/entities/device/D%207%2Fx?template=iap',
      entity: true,
    });
    expect(entityHref('a&b', 'account', 'A1')).toBe('/entities/account/A1?template=a%26b');
  });

  it('sends other string and number values to the sessions with the same value', () => {
    expect(fieldValueLink('iap', fields, 'channel', 'alipay')).toMatchObject({
      href: '/search?q=channel%3Dalipay',
      entity: false,
    });
    expect(fieldValueLink('iap', fields, 'amount_cents', 600)?.href).toBe(
      '/search?q=amount_cents%3D600',
    );
  });

  it('links nothing for values no search can find', () => {
    expect(fieldValueLink('iap', fields, 'device_id', null)).toBeNull();
    expect(fieldValueLink('iap', fields, 'device_id', '')).toBeNull();
    expect(fieldValueLink('iap', fields, 'paid', true)).toBeNull();
  });
});
