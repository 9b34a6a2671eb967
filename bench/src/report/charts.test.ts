import { describe, expect, it } from 'vitest';
import type { Metric } from '../results.js';
import { barOption, curve, lineOption, renderSvg } from './charts.js';

const m = (median: number, params: Metric['params']): Metric => ({
  name: 'records_per_second',
  unit: 'records/s',
  median,
  min: median,
  max: median,
  runs: [median],
  params,
});

describe('charts', () => {
  it('renders grouped bars to an SVG with the series names and values', () => {
    const svg = renderSvg(
      barOption('T', 'records/s', [{ category: 'P1', values: { Weft: 1234, Flink: 5678 } }]),
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Weft');
    expect(svg).toContain('5,678');
  });

  it('renders a log-x line chart', () => {
    const svg = renderSvg(
      lineOption('Scale', 'records', 'records/s', [
        {
          name: 'Weft P1',
          points: [
            [1e5, 10],
            [1e6, 20],
          ],
        },
      ]),
    );
    expect(svg).toContain('Weft P1');
  });

  it('takes sorted (param, median) points of one metric', () => {
    const metrics = [
      m(3, { records: 1e6, engine: 'weft' }),
      m(1, { records: 1e5, engine: 'weft' }),
      m(9, { records: 1e5, engine: 'flink' }),
    ];
    expect(
      curve(metrics, 'records_per_second', 'records', (x) => x.params?.engine === 'weft'),
    ).toEqual([
      [1e5, 1],
      [1e6, 3],
    ]);
  });
});
