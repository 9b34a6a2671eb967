/**
 * The wizard's sample box: one record per line as `<source id> <JSON record>`.
 * Assumes nothing about the JSON: the line goes to the engine exactly as typed
 * (so a broken record becomes a dead letter with the engine's reason); it is
 * parsed here only to offer click-to-extract.
 */
export interface SampleLine {
  source: string;
  /** The record exactly as typed, sent to the engine. */
  raw: string;
  /** The parsed record, or undefined when the line is not JSON. */
  parsed: unknown;
}

export function parseSampleLines(text: string): { samples: SampleLine[]; error: string | null } {
  const samples: SampleLine[] = [];
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (const [i, line] of lines.entries()) {
    const trimmed = line.trim();
    const at = trimmed.search(/\s/);
    if (at <= 0)
      return { samples, error: `sample line ${i + 1}: write "<source id> <JSON record>"` };
    const raw = trimmed.slice(at + 1).trim();
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    samples.push({ source: trimmed.slice(0, at), raw, parsed });
  }
  return { samples, error: null };
}
