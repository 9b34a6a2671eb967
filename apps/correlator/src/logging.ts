import { pino } from 'pino';
import type { DestinationStream, Logger, LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Where JSON lines go; standard error by default, so stdout stays free for results and exports. */
  destination?: DestinationStream;
}

/**
 * The correlator's structured logger: one JSON object per line, with
 * `service` and ISO timestamps; secrets in connection strings are redacted.
 *
 * @example
 * const logger = createLogger({ level: 'info' });
 * logger.info({ source: 'pay_done', records: 120 }, 'file source drained');
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'weft-correlator' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['db', '*.db', 'password', '*.password'], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}
