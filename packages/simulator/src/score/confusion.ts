import type { ConfusionMatrix } from './report.js';

/** Plain labels first (alphabetical), then the parenthesised markers `(missing)`, `(none)`. */
function orderLabels(labels: Iterable<string>): string[] {
  return [...new Set(labels)].sort((a, b) => {
    const markerA = a.startsWith('(');
    const markerB = b.startsWith('(');
    if (markerA !== markerB) return markerA ? 1 : -1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/**
 * Tallies (expected, predicted) conclusion pairs. Example:
 * `confusionMatrix([{ expected: 'ok', predicted: 'ok' }]).accuracy === 1`.
 */
export function confusionMatrix(
  pairs: readonly { readonly expected: string; readonly predicted: string }[],
): ConfusionMatrix {
  const counts: Record<string, Record<string, number>> = {};
  let correct = 0;
  for (const { expected, predicted } of pairs) {
    const row = (counts[expected] ??= {});
    row[predicted] = (row[predicted] ?? 0) + 1;
    if (expected === predicted) correct += 1;
  }
  return {
    expected: orderLabels(pairs.map((p) => p.expected)),
    predicted: orderLabels(pairs.map((p) => p.predicted)),
    counts,
    correct,
    total: pairs.length,
    accuracy: pairs.length === 0 ? 1 : correct / pairs.length,
  };
}
