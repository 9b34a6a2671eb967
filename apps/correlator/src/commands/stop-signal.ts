/**
 * Runs `work` with a signal that SIGTERM or SIGINT aborts, so a command stops
 * cleanly (a live run checkpoints, a bounded run keeps what it stored); the
 * handlers are removed when it ends.
 *
 * @example await withStopSignal((signal) => runCorrelate({ ...deps, signal }));
 */
export async function withStopSignal<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    return await work(stop.signal);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
