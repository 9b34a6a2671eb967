/** Splits `items` into consecutive slices of at most `size` (size ≥ 1). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    slices.push(items.slice(start, start + size));
  return slices;
}

/** How many rows of `columns` bind parameters fit in one statement under `maxParameters`. */
export function rowsPerStatement(maxParameters: number, columns: number): number {
  return Math.max(1, Math.floor(maxParameters / Math.max(1, columns)));
}

/**
 * Splits `items` into consecutive batches of at most `limits.rows` items and
 * `limits.bytes` of `sizeOf` (an item larger than that is a batch alone).
 */
export function chunkBySize<T>(
  items: readonly T[],
  limits: { rows: number; bytes: number },
  sizeOf: (item: T) => number,
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= limits.rows || bytes + size > limits.bytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
