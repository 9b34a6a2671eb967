/** Base class of every error thrown by @weft/storage; catch this to handle them all. */
export class StorageError extends Error {
  override name: string = 'StorageError';
}

/** The database URL given to `openStore` is malformed or names an unsupported backend. */
export class InvalidStoreUrlError extends StorageError {
  override name = 'InvalidStoreUrlError' as const;
  constructor(url: string, problem: string) {
    super(
      `Invalid database URL "${redactPassword(url)}": ${problem}. ` +
        'Use mysql://user[:password]@host:port/database, sqlite:PATH or sqlite::memory:.',
    );
  }
}

/** A query or write argument failed validation before any SQL was sent. */
export class StorageValidationError extends StorageError {
  override name = 'StorageValidationError' as const;
}

/** A write batch is larger than one transaction may safely carry (TiDB's size limits). */
export class BatchTooLargeError extends StorageError {
  override name = 'BatchTooLargeError' as const;
  constructor(sessions: number, bytes: number, limits: { sessions: number; bytes: number }) {
    super(
      `A batch of ${sessions} sessions (${bytes} bytes of JSON) exceeds the per-transaction limit of ` +
        `${limits.sessions} sessions / ${limits.bytes} bytes. Split it with chunkSessionBatch() and upsert each chunk.`,
    );
  }
}

/**
 * One row is larger than the server accepts in a statement (MySQL's
 * `max_allowed_packet`), so no split can write it; thrown before it is sent.
 */
export class StatementTooLargeError extends StorageError {
  override name = 'StatementTooLargeError' as const;
  constructor(
    readonly what: string,
    readonly bytes: number,
    readonly maxPacketBytes: number,
  ) {
    const suggested = 2 ** Math.ceil(Math.log2(bytes + 4096));
    super(
      `Cannot write ${what}: it takes about ${bytes} bytes as sent, more than the server accepts in one ` +
        `statement (max_allowed_packet = ${maxPacketBytes}). Raise the server's max_allowed_packet to at least ` +
        `${suggested} (SET GLOBAL max_allowed_packet = ${suggested}, and in its configuration so that it ` +
        'survives a restart; the store reads it when it connects), or make it smaller (a smaller session, a compacted entity state).',
    );
  }
}

/** A template's SQL dimension table is not in the database the store is connected to. */
export class DimensionTableMissingError extends StorageError {
  override name = 'DimensionTableMissingError' as const;
  constructor(
    readonly source: string,
    readonly table: string,
  ) {
    super(
      `The dimension table "${table}" of template source "${source}" does not exist in this database. ` +
        `Create it and load its rows: \`weft dimension load --db URL --template TEMPLATE --source ${source} FILE.ndjson\` ` +
        'creates it from an NDJSON file of rows by column name (store.dimensions.load does the same from code).',
    );
  }
}

/** A migration could not be applied, or the applied history disagrees with the files on disk. */
export class MigrationError extends StorageError {
  override name = 'MigrationError' as const;
}

/** Hides the password of a database URL before it appears in a message or log line. */
export function redactPassword(url: string): string {
  return url.replace(/^(mysql:\/\/[^:/@]*:)[^@]*@/u, '$1***@');
}
