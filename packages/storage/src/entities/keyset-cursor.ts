import { z } from 'zod';
import { StorageValidationError } from '../errors.js';

const KeysetSchema = z.array(z.string().max(2000)).min(1).max(4);

/** An opaque cursor holding the key columns of the last row of a page. */
export function encodeKeyset(keys: readonly string[]): string {
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

/** The key columns of a cursor made by encodeKeyset, `length` of them. */
export function decodeKeyset(cursor: string, length: number): string[] {
  try {
    const keys = KeysetSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (keys.length === length) return keys;
  } catch {
    // Reported below, with what to do.
  }
  throw new StorageValidationError(
    `Invalid cursor "${cursor.slice(0, 40)}": pass back the nextCursor of the previous page unchanged.`,
  );
}
