import { describe, expect, it } from 'vitest';
import { describeFailureBody } from './fetch-json';

describe('describeFailureBody', () => {
  it('lists field and reason of a 400', () => {
    const body = { error: 'bad_request', issues: [{ field: 'q', reason: 'too short' }] };
    expect(describeFailureBody(400, body, 'Search')).toBe('Search failed: q: too short');
  });
  it('falls back to the message, then to the status', () => {
    expect(describeFailureBody(403, { error: 'no' }, 'Publish')).toBe('Publish failed: no');
    expect(describeFailureBody(502, null, 'Publish')).toBe('Publish failed (HTTP 502).');
  });
});
