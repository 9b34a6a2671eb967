import { readFile } from 'node:fs/promises';
import type { Store } from '@weft/storage';
import { TemplateValidationError, isEventSource, loadTemplate } from '@weft/templates';
import type { Template } from '@weft/templates';
import { UsageError, messageOf } from '../errors.js';

/** `--template` as given: a JSON file, or a published template `ID[@VERSION]` in the store. */
export type TemplateRef =
  { kind: 'file'; path: string } | { kind: 'stored'; id: string; version?: number };

/**
 * Reads `--template`: a value ending in `.json` or containing a path separator
 * is a file; anything else is `ID[@VERSION]`.
 *
 * @example parseTemplateRef('in-app-purchase@3') // { kind: 'stored', id: 'in-app-purchase', version: 3 }
 */
export function parseTemplateRef(value: string): TemplateRef {
  if (value.endsWith('.json') || value.includes('/') || value.includes('\\')) {
    return { kind: 'file', path: value };
  }
  const match = /^([A-Za-z0-9][A-Za-z0-9_.-]*)(?:@([1-9][0-9]*))?$/u.exec(value);
  if (!match) {
    throw new UsageError(
      `--template ${JSON.stringify(value)} is neither a .json file nor a template id like in-app-purchase or in-app-purchase@3`,
    );
  }
  const [, id = value, version] = match;
  return version === undefined
    ? { kind: 'stored', id }
    : { kind: 'stored', id, version: Number(version) };
}

/** Loads and validates the template; every problem is a usage error (exit 2) that names the template. */
export async function loadTemplateRef(
  ref: TemplateRef,
  store: Pick<Store, 'templates'>,
): Promise<Template> {
  const what = ref.kind === 'file' ? ref.path : `${ref.id}${ref.version ? `@${ref.version}` : ''}`;
  const definition =
    ref.kind === 'file' ? await readJsonFile(ref.path) : await readStored(ref, store);
  try {
    return loadTemplate(definition);
  } catch (error) {
    if (error instanceof TemplateValidationError) {
      throw new UsageError(
        `template ${what}: ${error.message}\nCheck it with \`weft template validate\`.`,
      );
    }
    throw error;
  }
}

/** The template's event sources (Kafka or NDJSON), the ones the correlator reads. */
export function eventSourceIds(template: Template): string[] {
  return template.sources.filter(isEventSource).map((source) => source.id);
}

async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the template file ${path}: ${messageOf(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`the template file ${path} is not valid JSON: ${messageOf(error)}`);
  }
}

async function readStored(
  ref: { id: string; version?: number },
  store: Pick<Store, 'templates'>,
): Promise<unknown> {
  const stored = await store.templates.get(ref.id, ref.version);
  if (!stored) {
    const which = ref.version
      ? `version ${ref.version} of template ${ref.id}`
      : `template ${ref.id}`;
    throw new UsageError(`${which} is not in the store; publish it first or pass a template file`);
  }
  return stored.definition;
}
