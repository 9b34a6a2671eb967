import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { SourceError, messageOf } from '../errors.js';
import { splitLines } from './line-splitter.js';
import type { RawInput } from './raw-input.js';

export interface NdjsonOptions {
  /** Lines longer than this are cut and marked `oversized` (decoding dead-letters them). */
  maxLineBytes: number;
}

/**
 * The lines of an NDJSON stream as raw inputs of one source, with
 * `{file: name, line}` origins. Used for stdin (`name` '-') and by the file source.
 *
 * @example
 * for await (const input of readNdjsonStream(process.stdin, 'pay_done', '-', { maxLineBytes: 1 << 20 })) { ... }
 */
export async function* readNdjsonStream(
  stream: Readable,
  source: string,
  name: string,
  options: NdjsonOptions,
): AsyncGenerator<RawInput> {
  for await (const line of splitLines(stream, options.maxLineBytes)) {
    yield {
      source,
      bytes: line.bytes,
      origin: { file: name, line: line.number },
      ...(line.oversized ? { oversized: line.oversized } : {}),
    };
  }
}

/** The lines of one NDJSON file as raw inputs of `source`. */
export async function* readNdjsonFile(
  path: string,
  source: string,
  options: NdjsonOptions,
): AsyncGenerator<RawInput> {
  const stream = createReadStream(path);
  try {
    yield* readNdjsonStream(stream, source, path, options);
  } catch (error) {
    throw new SourceError(`Cannot read ${path} (source '${source}'): ${messageOf(error)}`, {
      cause: error,
    });
  } finally {
    stream.destroy();
  }
}

/** What a bounded input directory holds for a template. */
export interface DirectoryInputs {
  /** One raw-input stream per template source that has a `<source>.ndjson` file. */
  streams: { source: string; path: string; inputs: AsyncIterable<RawInput> }[];
  /** Template sources without a file: they contribute no records. */
  missing: string[];
  /** `*.ndjson` files that match no template source nor dimension table: ignored. */
  unknown: string[];
}

/**
 * Opens `DIR/<source>.ndjson` for every template source (the bounded-input
 * contract of `weft correlate --input DIR`). `DIR/<table>.ndjson` files of
 * the template's dimension `tables` are not records (see `dimensionFiles`)
 * and are not reported as unknown.
 *
 * @example
 * const { streams, missing } = await openNdjsonDirectory('data/', ['client_order', 'pay_done'], { maxLineBytes: 1 << 20 });
 */
export async function openNdjsonDirectory(
  dir: string,
  sources: readonly string[],
  options: NdjsonOptions,
  tables: readonly string[] = [],
): Promise<DirectoryInputs> {
  let names: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    names = await readdir(dir);
  } catch (error) {
    throw new SourceError(
      `The input directory ${dir} cannot be read (${messageOf(error)}): --input must be a directory holding one <source>.ndjson file per template source.`,
      { cause: error },
    );
  }
  const files = new Set(names.filter((name) => name.endsWith('.ndjson')));
  const streams = sources
    .filter((source) => files.has(`${source}.ndjson`))
    .map((source) => {
      const path = join(dir, `${source}.ndjson`);
      return { source, path, inputs: readNdjsonFile(path, source, options) };
    });
  const missing = sources.filter((source) => !files.has(`${source}.ndjson`));
  const known = new Set([...sources, ...tables].map((name) => `${name}.ndjson`));
  const unknown = [...files].filter((name) => !known.has(name)).sort();
  return { streams, missing, unknown };
}

/**
 * Opens several inputs for a template: each path is a directory holding
 * `<source>.ndjson` files (as `openNdjsonDirectory`) or one such file. A source
 * may have several files (e.g. one directory per day); each is its own stream.
 * Files of the template's dimension `tables` (`<table>.ndjson`) are skipped
 * here: `dimensionFiles` finds them for the enrichment cache.
 *
 * @example
 * const { streams } = await openNdjsonPaths(['day1/', 'extra/pay_done.ndjson'], sources, { maxLineBytes: 1 << 20 });
 */
export async function openNdjsonPaths(
  paths: readonly string[],
  sources: readonly string[],
  options: NdjsonOptions,
  tables: readonly string[] = [],
): Promise<DirectoryInputs> {
  const streams: DirectoryInputs['streams'] = [];
  const unknown: string[] = [];
  for (const path of paths) {
    if (!(await isFile(path))) {
      const opened = await openNdjsonDirectory(path, sources, options, tables);
      streams.push(...opened.streams);
      unknown.push(...opened.unknown.filter((name) => !unknown.includes(name)));
      continue;
    }
    if (tables.some((table) => basename(path) === `${table}.ndjson`)) continue;
    const source = sources.find((id) => basename(path) === `${id}.ndjson`);
    if (source === undefined) {
      const names = [...sources, ...tables].join(', ');
      throw new SourceError(
        `The input file ${path} is not named after a template source or dimension table: --input takes directories or files named <name>.ndjson, with <name> one of ${names}.`,
      );
    }
    streams.push({ source, path, inputs: readNdjsonFile(path, source, options) });
  }
  const missing = sources.filter((source) => !streams.some((stream) => stream.source === source));
  return { streams, missing, unknown };
}

/**
 * The dimension files among bounded inputs: for each of `tables` (the
 * template's SQL tables, as their `table` names), the `<table>.ndjson` files
 * in the input directories or given as files, in input order. Tables without
 * a file are left out (they are read from the store).
 *
 * @example await dimensionFiles(['data/'], ['item_catalog']) // Map { 'item_catalog' => ['data/item_catalog.ndjson'] }
 */
export async function dimensionFiles(
  paths: readonly string[],
  tables: readonly string[],
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  const add = (table: string, path: string) =>
    found.set(table, [...(found.get(table) ?? []), path]);
  for (const path of paths) {
    if (await isFile(path)) {
      const table = tables.find((name) => basename(path) === `${name}.ndjson`);
      if (table !== undefined) add(table, path);
      continue;
    }
    const names = new Set(await readdir(path).catch(() => [])); // openNdjsonPaths reports bad paths
    for (const table of tables)
      if (names.has(`${table}.ndjson`)) add(table, join(path, `${table}.ndjson`));
  }
  return found;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false; // openNdjsonDirectory reports what is wrong with the path
  }
}
