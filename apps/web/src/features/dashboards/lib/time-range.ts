/**
 * Dashboard time ranges: a preset → an aligned [from, to) window and a bucket
 * grain. Assumes `now` is epoch ms (passed in, so tests and renders agree).
 */

export const GRAIN_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
export type Grain = keyof typeof GRAIN_MS;

export const RANGE_PRESETS = {
  '1h': { span: 3_600_000, grain: 'minute' },
  '24h': { span: 86_400_000, grain: 'hour' },
  '7d': { span: 7 * 86_400_000, grain: 'hour' },
  '30d': { span: 30 * 86_400_000, grain: 'day' },
  '90d': { span: 90 * 86_400_000, grain: 'day' },
} as const satisfies Record<string, { span: number; grain: Grain }>;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const RANGE_PRESET_NAMES = Object.keys(RANGE_PRESETS) as RangePreset[];

export interface TimeWindow {
  from: number;
  to: number;
  grain: Grain;
}

/**
 * The window ending with the bucket that contains `now` (so the current,
 * partial bucket is shown), both ends aligned to the grain.
 *
 * @example rangeFor('24h', Date.UTC(2026, 0, 2, 10, 30)) // from 2026-01-01T11:00Z to 2026-01-02T11:00Z, hourly
 */
export function rangeFor(preset: RangePreset, now: number): TimeWindow {
  const { span, grain } = RANGE_PRESETS[preset];
  const step = GRAIN_MS[grain];
  const to = Math.floor(now / step) * step + step;
  return { from: to - span, to, grain };
}

/** The window of the same length just before `window` (for period comparison). */
export function previousWindow(window: TimeWindow): TimeWindow {
  const span = window.to - window.from;
  return { from: window.from - span, to: window.from, grain: window.grain };
}

/** Every bucket start in [from, to). */
export function bucketStarts(window: TimeWindow): number[] {
  const step = GRAIN_MS[window.grain];
  const starts: number[] = [];
  for (let t = window.from; t < window.to; t += step) starts.push(t);
  return starts;
}

/** A short axis label for a bucket start, in UTC (`03:00`, `11-24 03:00`, `2026-11-24`). */
export function bucketLabel(start: number, grain: Grain): string {
  const iso = new Date(start).toISOString();
  if (grain === 'day') return iso.slice(0, 10);
  if (grain === 'hour') return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(11, 16);
}
