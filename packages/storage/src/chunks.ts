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
