/**
 * The loop of every batched purge: find at most one batch of keys of rows
 * to delete, delete them in their own short transaction (so writers wait
 * at most one batch), until a search finds nothing. `deleteBatch` returns
 * how many rows it deleted (it may re-check the keys under lock and delete
 * fewer). Returns the total.
 *
 * @example await purgeInBatches(() => oldIds(1000), (ids) => deleteIds(ids))
 */
export async function purgeInBatches<K>(
  nextBatch: () => Promise<K[]>,
  deleteBatch: (keys: K[]) => Promise<number>,
): Promise<number> {
  let purged = 0;
  for (;;) {
    const keys = await nextBatch();
    if (keys.length === 0) return purged;
    purged += await deleteBatch(keys);
  }
}
