import { describe, expect, it } from 'vitest';
import type { PageEvent } from './page-recorder';
import {
  dashboardTiming,
  PageTimingError,
  RESULTS_SELECTOR,
  searchToTreeTiming,
} from './page-timing';

const tree = (state: string, at: number): PageEvent => ({
  kind: 'chart',
  owner: 'behavior-tree',
  state,
  at,
});

/** A search → tree flow as the recorder sees it, with the probe click and step selection. */
const flow: PageEvent[] = [
  { kind: 'enter', at: 1_000 },
  { kind: 'click', at: 1_001 }, // the form's implicit submission clicks its button
  { kind: 'shown', selector: RESULTS_SELECTOR, at: 1_150 },
  { kind: 'enter', at: 1_400 },
  { kind: 'longtask', at: 1_050, duration: 60 },
  { kind: 'longtask', at: 1_300, duration: 90 }, // the operator's pause: not counted
  { kind: 'longtask', at: 1_500, duration: 200 },
  tree('drawn', 1_700),
  tree('finished', 2_400),
  { kind: 'click', at: 2_450 },
  { kind: 'pressed', owner: 'node-pay_done', at: 2_470 },
];

describe('searchToTreeTiming', () => {
  it('adds the search and the opening, leaving out the pause between the two Enters and the submit click', () => {
    expect(searchToTreeTiming(flow)).toEqual({
      search: 150,
      openToDrawn: 300,
      openToFinished: 1_000,
      inputResponse: 20,
      treeDrawn: 1_150,
      interactive: 1_170,
      longTasks: 260,
    });
  });

  it('counts a tree without entry animation, reporting only finished, as drawn then', () => {
    const still = flow.filter((e) => !(e.kind === 'chart' && e.state === 'drawn'));
    expect(searchToTreeTiming(still).openToDrawn).toBe(1_000);
  });

  it('names the missing event instead of returning a partial timing', () => {
    const unfinished = flow.filter((e) => !(e.kind === 'chart' && e.state === 'finished'));
    expect(() => searchToTreeTiming(unfinished)).toThrow(PageTimingError);
    expect(() => searchToTreeTiming(unfinished)).toThrow(/no tree finished at or after 1400/);
  });

  it('ignores results shown before the search was submitted', () => {
    const stale: PageEvent[] = [{ kind: 'shown', selector: RESULTS_SELECTOR, at: 10 }, ...flow];
    expect(searchToTreeTiming(stale).search).toBe(150);
  });
});

describe('dashboardTiming', () => {
  const chart = (owner: string, state: string, at: number): PageEvent => ({
    kind: 'chart',
    owner,
    state,
    at,
  });
  const events: PageEvent[] = [
    { kind: 'longtask', at: 300, duration: 500 },
    chart('chart-volume', 'drawn', 900),
    chart('chart-comparison', 'drawn', 950),
    chart('chart-volume', 'finished', 1_900),
    chart('chart-comparison', 'finished', 1_960),
  ];

  it('is rendered when the last of its charts has finished', () => {
    expect(dashboardTiming(events, ['chart-volume', 'chart-comparison'], 120)).toEqual({
      htmlDone: 120,
      chartsDrawn: 950,
      rendered: 1_960,
      longTasks: 500,
    });
  });

  it('fails when a chart the page holds never finished, or there is no chart', () => {
    expect(() => dashboardTiming(events, ['chart-volume', 'chart-percentiles'], 120)).toThrow(
      /no chart-percentiles finished/,
    );
    expect(() => dashboardTiming(events, [], 120)).toThrow(/no chart/);
  });
});
