'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { shouldRefresh } from '../lib/live-refresh';

/** How often a live check runs; the refresh itself follows `intervalMs`. */
const TICK_MS = 5_000;

/**
 * Re-renders the page on the server `intervalMs` after each render arrived,
 * while `live` is on and the tab is visible; a tab coming back into view with
 * data older than that refreshes at once. `dataAt` (the server's render time)
 * marks a new render. Returns the current time, ticking, for the
 * "updated … ago" line.
 */
export function useLiveRefresh(live: boolean, dataAt: number, intervalMs: number): number {
  const router = useRouter();
  const [now, setNow] = useState(dataAt);
  useEffect(() => {
    // The interval counts from when this data arrived, not from the server's render.
    const receivedAt = Date.now();
    let asked = false;
    const check = () => {
      const current = Date.now();
      setNow(current);
      const visible = document.visibilityState === 'visible';
      // One refresh per data version: the next waits for the refreshed render.
      if (
        !asked &&
        shouldRefresh({ live, visible, dataAt: receivedAt, now: current, intervalMs })
      ) {
        asked = true;
        router.refresh();
      }
    };
    check();
    const timer = setInterval(check, TICK_MS);
    document.addEventListener('visibilitychange', check);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
    };
  }, [live, dataAt, intervalMs, router]);
  return now;
}
