import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logging.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('createLogger', () => {
  it('writes one JSON line per event with level label, service and details', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ level: 'info', destination: stream });
    logger.info({ source: 'pay_done', records: 3 }, 'drained');
    logger.debug('hidden below the level');
    const [line, ...rest] = lines();
    expect(rest).toEqual([]);
    expect(line).toMatchObject({
      level: 'info',
      service: 'weft-correlator',
      source: 'pay_done',
      records: 3,
      msg: 'drained',
    });
    expect(typeof line?.time).toBe('string');
  });

  it('redacts database URLs and passwords', () => {
    const { stream, lines } = capture();
    const logger = createLogger({ level: 'info', destination: stream });
    logger.info({ db: 'mysql://weft:s3cret@h/db', config: { password: 'p' } }, 'config');
    const text = JSON.stringify(lines());
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('"p"');
    expect(text).toContain('[redacted]');
  });
});
