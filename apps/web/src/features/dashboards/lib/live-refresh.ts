/**
 * When the dashboards page should refresh itself. Assumes times in epoch ms
 * and that the caller re-asks on every tick and on every visibility change.
 *
 * A hidden tab never refreshes (a wall of dashboards left open in background
 * tabs would otherwise keep the server busy for nobody); a tab that comes
 * back into view refreshes at once when its data is older than the interval.
 *
 * @example shouldRefresh({ live: true, visible: true, dataAt: 0, now: 31_000, intervalMs: 30_000 }) // true
 */
export function shouldRefresh(state: {
  live: boolean;
  visible: boolean;
  /**
   * When the page received the data it shows (client clock): counting from
   * the server's render time instead would refresh back to back whenever a
   * render takes longer than the interval to arrive.
   */
  dataAt: number;
  now: number;
  intervalMs: number;
}): boolean {
  return state.live && state.visible && state.now - state.dataAt >= state.intervalMs;
}

/** How old the data shown is, for the "updated … ago" line: `just now`, `45 s ago`, `3 min ago`. */
export function formatAge(ms: number): string {
  if (ms < 5_000) return 'just now';
  if (ms < 120_000) return `${Math.round(ms / 1000)} s ago`;
  return `${Math.round(ms / 60_000)} min ago`;
}
