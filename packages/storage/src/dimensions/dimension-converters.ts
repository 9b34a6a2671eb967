import { StorageValidationError } from '../errors.js';
import type { DimensionColumn, DimensionColumnType } from './dimension-spec.js';

/** A value of a dimension row as Weft uses it: timestamps are epoch milliseconds. */
export type DimensionValue = string | number | boolean | null;

/** One row of a dimension table, by column name. */
export type DimensionRow = Record<string, DimensionValue>;

/** The longest key the MySQL family can index as `VARCHAR(255)`; SQLite keeps the same bound. */
export const DIMENSION_KEY_MAX_CHARS = 255;

/**
 * A value as the driver returned it, as the column's declared type; a value
 * that does not convert (a word in a number column) reads as null, as an
 * extraction that does not convert does. Assumes the drivers' shapes: numbers
 * or numeric strings (DECIMAL, BIGINT), 0/1 for booleans, `Date` for DATETIME.
 */
export function readDimensionValue(value: unknown, type: DimensionColumnType): DimensionValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return value instanceof Date ? value.toISOString() : String(value);
    case 'number':
      return finiteNumber(value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 1 || value === '1' || value === 'true') return true;
      if (value === 0 || value === '0' || value === 'false') return false;
      return null;
    case 'timestamp':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
      if (typeof value === 'string' && !/^-?\d+(\.\d+)?$/u.test(value)) {
        const ms = Date.parse(value);
        return Number.isNaN(ms) ? null : ms;
      }
      return finiteNumber(value);
  }
}

/**
 * The value written into a column of `column.type`: strings stay strings
 * (numbers become their decimal text), numbers and timestamps accept numbers
 * and numeric strings (timestamps also ISO 8601), booleans `true`/`false`.
 * Anything else throws, naming the row and column, before anything is sent.
 */
export function writeDimensionValue(
  value: unknown,
  column: DimensionColumn,
  row: number,
): string | number | null {
  if (value === null || value === undefined) return null;
  const problem = (): never => {
    throw new StorageValidationError(
      `Row ${row}: column "${column.name}" is declared ${column.type}, but holds ${JSON.stringify(value)}.`,
    );
  };
  switch (column.type) {
    case 'string':
      return typeof value === 'string' || typeof value === 'number' ? String(value) : problem();
    case 'number': {
      const number =
        typeof value === 'string' || typeof value === 'number' ? finiteNumber(value) : null;
      return number ?? problem();
    }
    case 'boolean':
      return typeof value === 'boolean' ? (value ? 1 : 0) : problem();
    case 'timestamp': {
      const ms =
        typeof value === 'string' || typeof value === 'number'
          ? readDimensionValue(value, 'timestamp')
          : null;
      return typeof ms === 'number' ? ms : problem();
    }
  }
}

/** The key of a row to write: present, and short enough to index. */
export function writeDimensionKey(
  value: unknown,
  key: DimensionColumn,
  row: number,
): string | number {
  const written = writeDimensionValue(value, key, row);
  if (written === null)
    throw new StorageValidationError(
      `Row ${row}: the key column "${key.name}" is missing or null.`,
    );
  if (typeof written === 'string' && written.length > DIMENSION_KEY_MAX_CHARS) {
    throw new StorageValidationError(
      `Row ${row}: the key "${written.slice(0, 40)}…" of column "${key.name}" has ${written.length} characters; keys are at most ${DIMENSION_KEY_MAX_CHARS}.`,
    );
  }
  return written;
}

function finiteNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string' || value.trim() === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}
