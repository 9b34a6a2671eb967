import { readFileSync } from 'node:fs';

/** A template as JSON, for fixtures that edit arbitrary paths. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures edit arbitrary JSON paths
export type Json = any;

/** The in-app purchase example, the valid starting point of every broken-template case. */
export const base = JSON.parse(
  readFileSync(new URL('../../examples/in-app-purchase.json', import.meta.url), 'utf8'),
) as Json;

/** A copy of the example with one mistake made by `edit`. */
export function broken(edit: (t: Json) => void): Json {
  const t = structuredClone(base) as Json;
  edit(t);
  return t;
}

/** One broken template and the single error it must produce. */
export interface BrokenCase {
  name: string;
  edit: (t: Json) => void;
  path: string;
  message: string[];
  /** How many errors the mistake produces in total (default 1: no cascades). */
  count?: number;
}
