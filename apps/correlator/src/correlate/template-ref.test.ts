import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Store } from '@weft/storage';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { eventSourceIds, loadTemplateRef, parseTemplateRef } from './template-ref.js';

const examplePath = fileURLToPath(
  new URL('../../../../packages/templates/examples/in-app-purchase.json', import.meta.url),
);
const definition = JSON.parse(readFileSync(examplePath, 'utf8')) as unknown;

function storeWith(stored: Record<string, unknown>): Pick<Store, 'templates'> {
  return {
    templates: {
      get: async (id: string, version?: number) => {
        const found = stored[version === undefined ? id : `${id}@${version}`];
        return found === undefined
          ? undefined
          : {
              templateId: id,
              version: version ?? 1,
              status: 'published',
              definition: found,
              createdAt: 0,
            };
      },
    } as unknown as Store['templates'],
  };
}

describe('parseTemplateRef', () => {
  it.each([
    ['templates/iap.json', { kind: 'file', path: 'templates/iap.json' }],
    ['iap.json', { kind: 'file', path: 'iap.json' }],
    ['./iap', { kind: 'file', path: './iap' }],
    ['in-app-purchase', { kind: 'stored', id: 'in-app-purchase' }],
    ['in-app-purchase@3', { kind: 'stored', id: 'in-app-purchase', version: 3 }],
  ])('reads %j', (value, ref) => {
    expect(parseTemplateRef(value)).toEqual(ref);
  });

  it.each(['iap@0', 'iap@x', 'a b', '@3'])('rejects %j with what --template accepts', (value) => {
    expect(() => parseTemplateRef(value)).toThrow(UsageError);
    expect(() => parseTemplateRef(value)).toThrow(/neither a \.json file nor a template id/);
  });
});

describe('loadTemplateRef', () => {
  it('loads a template file and lists its event sources (not its SQL tables)', async () => {
    const template = await loadTemplateRef({ kind: 'file', path: examplePath }, storeWith({}));
    expect(template.id).toBe('in-app-purchase');
    expect(eventSourceIds(template)).toEqual([
      'client_order',
      'pay_page',
      'receipt',
      'pay_done',
      'channel_callback',
      'delivery',
    ]);
  });

  it('loads a published version from the store', async () => {
    const store = storeWith({ 'in-app-purchase@2': definition });
    const template = await loadTemplateRef(
      { kind: 'stored', id: 'in-app-purchase', version: 2 },
      store,
    );
    expect(template.id).toBe('in-app-purchase');
  });

  it('says when the template is not in the store', async () => {
    await expect(
      loadTemplateRef({ kind: 'stored', id: 'nope', version: 4 }, storeWith({})),
    ).rejects.toThrow(/version 4 of template nope is not in the store/);
  });

  it('reports an unreadable file as a usage error naming it', async () => {
    await expect(
      loadTemplateRef({ kind: 'file', path: '/nonexistent/t.json' }, storeWith({})),
    ).rejects.toThrow(/cannot read the template file \/nonexistent\/t\.json/);
  });
});
