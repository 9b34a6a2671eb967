import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileTemplate, isEventSource, loadTemplate } from '@weft/templates';
import { createKafkajsClient } from '../../src/kafka/index.js';
import { writeTestTemplate } from './live-harness.js';

/** The test template without entity profiles: a replay rebuilds those from its warm-up only. */
export async function templateWithoutEntities(dir: string): Promise<string> {
  const path = await writeTestTemplate(dir);
  const definition = JSON.parse(await readFile(path, 'utf8')) as {
    entities?: unknown;
    conclusions: { when: string }[];
  };
  delete definition.entities;
  definition.conclusions = definition.conclusions.filter((c) => !c.when.includes('entity.'));
  await writeFile(path, JSON.stringify(definition));
  return path;
}

/**
 * Produces the records of the simulator's files (those whose event time
 * `keep` accepts; all by default) to `<prefix><source>` with their event
 * time as the Kafka timestamp, as a live producer logging at event time
 * does; returns the template's gap + maxSpan and the event times produced.
 */
export async function produceHistory(
  brokers: string,
  prefix: string,
  dir: string,
  templatePath: string,
  keep: (eventTime: number) => boolean = () => true,
): Promise<{ warmUp: number; times: number[] }> {
  const template = loadTemplate(JSON.parse(await readFile(templatePath, 'utf8')));
  const compiled = compileTemplate(template);
  const producer = createKafkajsClient({
    brokers: brokers.split(','),
    clientId: 'weft-test-history',
  }).producer();
  await producer.connect();
  const produced: number[] = [];
  try {
    for (const source of template.sources.filter(isEventSource)) {
      const lines = (await readFile(join(dir, `${source.id}.ndjson`), 'utf8'))
        .split('\n')
        .filter((line) => line !== '');
      const messages = lines.flatMap((line) => {
        const extracted = compiled.extractor(source.id).extract(JSON.parse(line));
        if (!extracted.ok) throw new Error(`${source.id}: ${extracted.reason}`);
        if (!keep(extracted.eventTime)) return [];
        produced.push(extracted.eventTime);
        return [{ value: line, timestamp: extracted.eventTime }];
      });
      await producer.send(`${prefix}${source.id}`, messages);
    }
  } finally {
    await producer.disconnect();
  }
  return { warmUp: template.baseline.gap + template.baseline.maxSpan, times: produced };
}
