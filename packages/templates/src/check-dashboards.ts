import { listNames, type IssueList } from './issues.js';
import { indexTemplate } from './model.js';
import { checkUnique } from './check-sources.js';
import type { FieldType, Template } from './template.js';

/** Built-in dashboard fields, available in every template. */
export const BUILTIN_FIELDS: Readonly<Record<string, FieldType>> = {
  $conclusion: 'string',
  $severity: 'string',
  $duration_ms: 'number',
  $record_count: 'number',
  $template_version: 'number',
};

/** Dashboards: every dimension and measure names a session field or a built-in of a fitting type. */
export function checkDashboards(issues: IssueList, template: Template): void {
  const fields = indexTemplate(template).sessionFields;
  const known = (): string => listNames([...fields.keys(), ...Object.keys(BUILTIN_FIELDS)]);
  const typeOf = (ref: string): FieldType | undefined =>
    ref.startsWith('$') ? BUILTIN_FIELDS[ref] : fields.get(ref)?.type;

  checkUnique(issues, template.dashboards, 'dashboards', 'dashboard');
  template.dashboards.forEach((dashboard, i) => {
    const path = `dashboards[${i}]`;
    checkUnique(issues, dashboard.measures, `${path}.measures`, 'measure');
    dashboard.dimensions.forEach((ref, j) => {
      if (typeOf(ref) === undefined)
        issues.add(
          `${path}.dimensions[${j}]`,
          'unknown_field',
          `"${ref}" is not a session field or built-in; known: ${known()}`,
        );
    });
    dashboard.measures.forEach((measure, j) => {
      const mpath = `${path}.measures[${j}]`;
      if (measure.field === undefined) {
        if (measure.agg !== 'count')
          issues.add(
            `${mpath}.field`,
            'measure_needs_field',
            `aggregation "${measure.agg}" needs a "field" (a number session field or $duration_ms)`,
          );
        return;
      }
      const type = typeOf(measure.field);
      if (type === undefined) {
        issues.add(
          `${mpath}.field`,
          'unknown_field',
          `"${measure.field}" is not a session field or built-in; known: ${known()}`,
        );
      } else if (measure.agg !== 'count' && type !== 'number' && type !== 'timestamp') {
        issues.add(
          `${mpath}.field`,
          'measure_type',
          `"${measure.agg}" aggregates numbers but "${measure.field}" is ${type}; use "count" or a number field`,
        );
      } else if (type === 'timestamp' && !['min', 'max', 'count'].includes(measure.agg)) {
        issues.add(
          `${mpath}.field`,
          'measure_type',
          `"${measure.agg}" of a timestamp is meaningless; use min, max or count, or derive a duration`,
        );
      }
    });
  });
}
