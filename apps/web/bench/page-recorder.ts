/**
 * What the browser bench records inside the page, on the page's own clock
 * (`performance.now()`, milliseconds since the document's navigation
 * started):
 * - the operator's inputs: Event.timeStamp of each Enter and click;
 * - the first time each watched selector matches;
 * - each chart's `data-chart-state` (set by the app's EChart wrapper) and
 *   each step's `aria-pressed="true"`, as they change;
 * - the main thread's long tasks (over 50 ms, Long Tasks API).
 * A MutationObserver callback runs at the end of the task that changed the
 * DOM, so its clock reading is when the change happened, not when the
 * driver next looked.
 */
export type PageEvent =
  | { kind: 'enter' | 'click'; at: number }
  | { kind: 'shown'; selector: string; at: number }
  | { kind: 'chart'; owner: string; state: string; at: number }
  | { kind: 'pressed'; owner: string; at: number }
  | { kind: 'longtask'; at: number; duration: number };

/** Where the recorder keeps its events on `window`. */
export const EVENTS_GLOBAL = '__weftPageEvents';

/**
 * Installs the recorder; passed to `page.addInitScript`, so it runs in
 * every document before the app's scripts and must not close over anything.
 *
 * @example await page.addInitScript(recordPageEvents, { global: EVENTS_GLOBAL, watched: ['[data-testid=results]'] });
 */
export function recordPageEvents({ global, watched }: { global: string; watched: string[] }): void {
  const events: PageEvent[] = [];
  Object.assign(window, { [global]: events });
  const seen = new Set<string>();
  addEventListener(
    'keydown',
    (e) => e.key === 'Enter' && events.push({ kind: 'enter', at: e.timeStamp }),
    true,
  );
  addEventListener('click', (e) => events.push({ kind: 'click', at: e.timeStamp }), true);
  new MutationObserver((mutations) => {
    const at = performance.now();
    for (const selector of watched)
      if (!seen.has(selector) && document.querySelector(selector)) {
        seen.add(selector);
        events.push({ kind: 'shown', selector, at });
      }
    for (const mutation of mutations) {
      if (mutation.type !== 'attributes' || !(mutation.target instanceof Element)) continue;
      const owner = mutation.target.closest('[data-testid]')?.getAttribute('data-testid') ?? '';
      const value = mutation.target.getAttribute(mutation.attributeName ?? '');
      if (mutation.attributeName === 'data-chart-state' && value)
        events.push({ kind: 'chart', owner, state: value, at });
      else if (mutation.attributeName === 'aria-pressed' && value === 'true')
        events.push({ kind: 'pressed', owner, at });
    }
  }).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-chart-state', 'aria-pressed'],
  });
  new PerformanceObserver((list) => {
    for (const task of list.getEntries())
      events.push({ kind: 'longtask', at: task.startTime, duration: task.duration });
  }).observe({ type: 'longtask', buffered: true });
}
