import type { PageEvent } from './page-recorder';

/** The search page's results table: shown once the search has answered. */
export const RESULTS_SELECTOR = '[data-testid=results]';
/** The session page's behavior tree box (its chart reports under this owner). */
export const TREE_OWNER = 'behavior-tree';

/** One search → tree flow, in milliseconds of the page's clock. */
export interface SearchToTreeTiming {
  /** Enter in the search box → the results table is in the page. */
  readonly search: number;
  /** Enter on the result → the tree chart's first frame (its entry animation starts). */
  readonly openToDrawn: number;
  /** Enter on the result → ECharts reports the tree `finished` (animation over). */
  readonly openToFinished: number;
  /** A click on another step right after `finished` → that step shows as selected. */
  readonly inputResponse: number;
  /** search + openToFinished: the operator's own pause between the two Enters left out. */
  readonly treeDrawn: number;
  /** treeDrawn + inputResponse: drawn, and the first input after it answered. */
  readonly interactive: number;
  /** Of treeDrawn, the main thread's long tasks (over 50 ms) begun in it. */
  readonly longTasks: number;
}

export class PageTimingError extends Error {
  override name = 'PageTimingError' as const;
}

/**
 * When the earliest matching event at or after `after` happened; fails naming
 * `what`. By time, not by position: long tasks are reported after they end.
 */
function firstAt(
  events: readonly PageEvent[],
  after: number,
  what: string,
  match: (event: PageEvent) => boolean,
): number {
  const times = events.filter((e) => e.at >= after && match(e)).map((e) => e.at);
  if (times.length === 0)
    throw new PageTimingError(
      `no ${what} at or after ${after.toFixed(1)} ms among the ${events.length} page events recorded (${events.map((e) => e.kind).join(', ')})`,
    );
  return Math.min(...times);
}

/** The long tasks' time begun in [from, to). */
function longTasksIn(events: readonly PageEvent[], from: number, to: number): number {
  let total = 0;
  for (const e of events)
    if (e.kind === 'longtask' && e.at >= from && e.at < to) total += e.duration;
  return total;
}

const isInput = (kind: 'enter' | 'click') => (e: PageEvent) => e.kind === kind;
/** A chart without entry animations reports `finished` only: it was drawn then too. */
const isChart =
  (owner: string, ...states: string[]) =>
  (e: PageEvent) =>
    e.kind === 'chart' && e.owner === owner && states.includes(e.state);

/**
 * The operator's flow from the events of one search page document: submit
 * (Enter), results shown, open (Enter), tree drawn and finished, probe
 * click, step selected. Assumes the flow stayed in one document (client-side
 * navigations), so every time is on one clock.
 *
 * @example searchToTreeTiming(await page.evaluate(() => window.__weftPageEvents))
 */
export function searchToTreeTiming(events: readonly PageEvent[]): SearchToTreeTiming {
  const submit = firstAt(events, 0, 'Enter (search)', isInput('enter'));
  const results = firstAt(
    events,
    submit,
    `appearance of ${RESULTS_SELECTOR}`,
    (e) => e.kind === 'shown' && e.selector === RESULTS_SELECTOR,
  );
  const open = firstAt(events, results, 'Enter (open the result)', isInput('enter'));
  const drawn = firstAt(events, open, 'tree drawn', isChart(TREE_OWNER, 'drawn', 'finished'));
  const finished = firstAt(events, open, 'tree finished', isChart(TREE_OWNER, 'finished'));
  const probe = firstAt(events, finished, 'click on a step', isInput('click'));
  const pressed = firstAt(events, probe, 'step selected', (e) => e.kind === 'pressed');
  const search = results - submit;
  const openToFinished = finished - open;
  const inputResponse = pressed - probe;
  return {
    search,
    openToDrawn: drawn - open,
    openToFinished,
    inputResponse,
    treeDrawn: search + openToFinished,
    interactive: search + openToFinished + inputResponse,
    longTasks: longTasksIn(events, submit, results) + longTasksIn(events, open, finished),
  };
}

/** One dashboard load, in milliseconds since its navigation started (the page's clock). */
export interface DashboardTiming {
  /** Navigation Timing: the last byte of the streamed HTML. */
  readonly htmlDone: number;
  /** The last chart's first frame. */
  readonly chartsDrawn: number;
  /** The last chart `finished` (drawn, animations over): the dashboard rendered. */
  readonly rendered: number;
  /** Of rendered, the main thread's long tasks (over 50 ms) begun in it. */
  readonly longTasks: number;
}

/**
 * A dashboard load from its document's events, given the charts the page
 * holds (`charts`, their panels' test ids) and the navigation's
 * `responseEnd`. Assumes each chart reports `drawn` then `finished` once.
 *
 * @example dashboardTiming(events, ['chart-volume', 'chart-comparison'], 412.5)
 */
export function dashboardTiming(
  events: readonly PageEvent[],
  charts: readonly string[],
  responseEnd: number,
): DashboardTiming {
  if (charts.length === 0) throw new PageTimingError('the dashboard page holds no chart');
  const lastOf = (what: string, ...states: string[]) =>
    Math.max(...charts.map((c) => firstAt(events, 0, `${c} ${what}`, isChart(c, ...states))));
  const rendered = lastOf('finished', 'finished');
  return {
    htmlDone: responseEnd,
    chartsDrawn: lastOf('drawn', 'drawn', 'finished'),
    rendered,
    longTasks: longTasksIn(events, 0, rendered),
  };
}
