import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../errors.js';
import { openNdjsonDirectory, readNdjsonFile, readNdjsonStream } from './ndjson-source.js';
import type { RawInput } from './raw-input.js';

const options = { maxLineBytes: 64 };

async function collect(inputs: AsyncIterable<RawInput> | Iterable<RawInput>): Promise<RawInput[]> {
  const all: RawInput[] = [];
  for await (const input of inputs) all.push(input);
  return all;
}

describe('NDJSON sources', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-ndjson-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file line by line with file and line origins', async () => {
    const path = join(dir, 'pay_done.ndjson');
    await writeFile(path, '{"order_id":"O1"}\n\n{"order_id":"O2"}\r\n');
    const inputs = await collect(readNdjsonFile(path, 'pay_done', options));
    expect(inputs.map((i) => [i.source, i.bytes.toString(), i.origin])).toEqual([
      ['pay_done', '{"order_id":"O1"}', { file: path, line: 1 }],
      ['pay_done', '{"order_id":"O2"}', { file: path, line: 3 }],
    ]);
  });

  it('marks a line over the cap as oversized instead of buffering it', async () => {
    const path = join(dir, 'receipt.ndjson');
    await writeFile(path, `{"x":"${'a'.repeat(1_000)}"}\n{"ok":true}\n`);
    const inputs = await collect(readNdjsonFile(path, 'receipt', options));
    expect(inputs[0]?.oversized).toEqual({ totalBytes: 1_008 });
    expect(inputs[0]?.bytes.length).toBe(64);
    expect(inputs[1]?.bytes.toString()).toBe('{"ok":true}');
  });

  it('reads stdin-like streams with the given name as origin', async () => {
    const stream = Readable.from([Buffer.from('{"a":1}\n{"a"'), Buffer.from(':2}')]);
    const inputs = await collect(readNdjsonStream(stream, 'client_order', '-', options));
    expect(inputs.map((i) => [i.bytes.toString(), i.origin])).toEqual([
      ['{"a":1}', { file: '-', line: 1 }],
      ['{"a":2}', { file: '-', line: 2 }],
    ]);
  });

  it('fails a missing file with a SourceError naming the file and source', async () => {
    const path = join(dir, 'absent.ndjson');
    await expect(collect(readNdjsonFile(path, 'absent', options))).rejects.toThrow(SourceError);
    await expect(collect(readNdjsonFile(path, 'absent', options))).rejects.toThrow(
      /absent\.ndjson \(source 'absent'\).*ENOENT/,
    );
  });

  it('opens one file per template source and reports missing and unknown files', async () => {
    await writeFile(join(dir, 'client_order.ndjson'), '{"ts":1}\n');
    await writeFile(join(dir, 'pay_done.ndjson'), '{"ts":2}\n{"ts":3}\n');
    await writeFile(join(dir, 'stray.ndjson'), '{}\n');
    await writeFile(join(dir, 'notes.txt'), 'not ndjson');
    const opened = await openNdjsonDirectory(
      dir,
      ['client_order', 'pay_page', 'pay_done'],
      options,
    );
    expect(opened.missing).toEqual(['pay_page']);
    expect(opened.unknown).toEqual(['stray.ndjson']);
    expect(opened.streams.map((s) => s.source)).toEqual(['client_order', 'pay_done']);
    const payDone = await collect(opened.streams[1]?.inputs ?? []);
    expect(payDone.map((i) => i.bytes.toString())).toEqual(['{"ts":2}', '{"ts":3}']);
  });

  it('fails a missing or non-directory input with what --input must be', async () => {
    await expect(openNdjsonDirectory(join(dir, 'nope'), ['a'], options)).rejects.toThrow(
      /input directory .*nope cannot be read.*one <source>\.ndjson file per template source/,
    );
    const file = join(dir, 'file.ndjson');
    await writeFile(file, '');
    await expect(openNdjsonDirectory(file, ['a'], options)).rejects.toThrow(/not a directory/);
  });
});
