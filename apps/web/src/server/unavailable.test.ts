import { openStore } from '@weft/storage';
import { describe, expect, it } from 'vitest';
import { serverError } from './http';
import { STORE_UNREACHABLE_DIGEST } from '@/lib/store-outage';
import { markStoreUnreachable, StoreUnreachableError, unavailableCode } from './unavailable';

describe('unavailableCode', () => {
  it('finds the code in the error, its causes and aggregate errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(unavailableCode(refused)).toBe('ECONNREFUSED');
    expect(unavailableCode(new Error('wrapped', { cause: refused }))).toBe('ECONNREFUSED');
    expect(unavailableCode(new AggregateError([new Error('x'), refused]))).toBe('ECONNREFUSED');
    expect(
      unavailableCode(Object.assign(new Error('syntax'), { code: 'ER_PARSE_ERROR' })),
    ).toBeNull();
    expect(unavailableCode('ECONNREFUSED')).toBeNull();
  });

  it('recognizes a real refused MariaDB connection, and the routes answer it with 503', async () => {
    // Nothing listens on the discard port: the driver's own error, not a made-up one.
    const error = await openStore('mysql://weft:weft@127.0.0.1:9/weft').then(
      async (store) => {
        await store.close();
        return new Error('a store opened on a closed port');
      },
      (e: unknown) => e,
    );
    expect(unavailableCode(error)).toMatch(/ECONNREFUSED|ETIMEDOUT/);
    const response = serverError('Searching sessions', error);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect((await response.json()).error).toMatch(/database is unreachable/);
  });

  it('keeps other failures a 500', () => {
    expect(serverError('Searching sessions', new TypeError('x')).status).toBe(500);
  });

  it('marks outage failures for the error boundary and leaves the others alone', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const marked = markStoreUnreachable(refused);
    expect(marked).toBeInstanceOf(StoreUnreachableError);
    expect((marked as StoreUnreachableError).digest).toBe(STORE_UNREACHABLE_DIGEST);
    expect(unavailableCode(marked)).toBe('ECONNREFUSED');
    expect(markStoreUnreachable(marked)).toBe(marked);
    const bug = new TypeError('x');
    expect(markStoreUnreachable(bug)).toBe(bug);
  });
});
