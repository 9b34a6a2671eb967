/** A comparator over the given fields in order (numbers numerically, strings by code unit), stable for equal rows. */
export function byFields<T>(...fields: (keyof T)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const field of fields) {
      const x = a[field];
      const y = b[field];
      if (x === y) continue;
      return (x as number | string) < (y as number | string) ? -1 : 1;
    }
    return 0;
  };
}
