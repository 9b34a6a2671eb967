/**
 * Durations in templates: analysts write `"20m"`, `"90s"`, `"1h30m"`,
 * `"-1m"` (offsets only) or a number of milliseconds; the parsed template holds
 * integer milliseconds only, so the engine never parses a unit string.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** One or more `<number><unit>` parts, e.g. `1h30m`, `250ms`, `1.5s`. */
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$';
/** Like {@link DURATION_PATTERN} with an optional leading minus, for join-bound offsets. */
export const OFFSET_PATTERN = '^-?(\\d+(\\.\\d+)?(ms|s|m|h|d))+$';

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = new RegExp(OFFSET_PATTERN);

/**
 * Parses a duration string or millisecond number into integer milliseconds,
 * or returns null when the input is not a duration.
 *
 * @example parseDuration('1h30m') // 5_400_000
 * @example parseDuration('-1m') // -60_000
 */
export function parseDuration(input: string | number): number | null {
  if (typeof input === 'number') {
    return Number.isSafeInteger(input) ? input : null;
  }
  const text = input.trim();
  if (!WHOLE.test(text)) return null;
  const negative = text.startsWith('-');
  let total = 0;
  for (const match of text.matchAll(PART)) {
    const unit = UNIT_MS[match[2] as string] as number;
    total += Number(match[1]) * unit;
  }
  const ms = Math.round(total);
  if (!Number.isSafeInteger(ms)) return null;
  return negative ? -ms : ms;
}

/**
 * Formats milliseconds as the shortest exact duration string (for messages and diffs).
 *
 * @example formatDuration(5_400_000) // '1h30m'
 * @example formatDuration(-60_000) // '-1m'
 */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.abs(ms);
  let out = ms < 0 ? '-' : '';
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = UNIT_MS[unit] as number;
    if (rest >= size) {
      const count = Math.floor(rest / size);
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
