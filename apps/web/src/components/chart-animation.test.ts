import { describe, expect, it } from 'vitest';
import { CHART_ANIMATION_MS, withShortAnimations } from './chart-animation';

const short = {
  animationDuration: CHART_ANIMATION_MS,
  animationDurationUpdate: CHART_ANIMATION_MS,
};

describe('withShortAnimations', () => {
  it('shortens the chart’s and every series’ animations (a tree series has its own 700 ms default)', () => {
    expect(
      withShortAnimations({
        title: { text: 't' },
        series: [
          { type: 'tree', data: [] },
          { type: 'line', data: [1, 2] },
        ],
      }),
    ).toEqual({
      ...short,
      title: { text: 't' },
      series: [
        { ...short, type: 'tree', data: [] },
        { ...short, type: 'line', data: [1, 2] },
      ],
    });
  });

  it('keeps what the option sets itself, and a single series object becomes a list', () => {
    expect(
      withShortAnimations({
        animation: false,
        animationDuration: 50,
        series: { type: 'bar', data: [3], animationDurationUpdate: 0 },
      }),
    ).toEqual({
      animation: false,
      animationDuration: 50,
      animationDurationUpdate: CHART_ANIMATION_MS,
      series: [
        {
          type: 'bar',
          data: [3],
          animationDuration: CHART_ANIMATION_MS,
          animationDurationUpdate: 0,
        },
      ],
    });
  });
});
