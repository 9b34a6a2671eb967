import { z } from 'zod';
import { TemplateSchema } from './template.js';

/**
 * The JSON Schema (draft 2020-12) of what an author writes, for editors and
 * the wizard. It covers shape only; run validateTemplate for references and
 * CEL. Durations appear as `integer | string` with the accepted pattern.
 *
 * @example writeFileSync('template.schema.json', JSON.stringify(templateJsonSchema(), null, 2));
 */
export function templateJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(TemplateSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://weft.dev/schemas/analysis-template.json',
    title: 'Weft analysis template',
    description:
      'One business session: sources, baseline, supplements, enrichment, tree, derived fields, conclusions and dashboards.',
  };
}
