import type { Command } from 'commander';
import { applyMigrations } from '@weft/storage';
import { loadTemplateRef, parseTemplateRef } from '../correlate/template-ref.js';
import { loadDimensionFile } from '../enrichment/index.js';
import { openStoreForCli } from './migrate.js';

interface LoadFlags {
  db: string;
  template: string;
  source?: string;
  key?: string;
}

/**
 * `weft dimension load --db URL --template T [--source S] [--key F] FILE`:
 * puts a dimension table's rows (NDJSON) into the store, where enrichment
 * lookups read them; see apps/correlator/README.md "Enrichment".
 */
export function register(program: Command): void {
  const dimension = program
    .command('dimension')
    .description('SQL dimension tables that enrichment lookups read');
  dimension
    .command('load')
    .description(
      "Upsert an NDJSON file of rows (one object of columns per line) into a template's SQL source table, creating it if missing",
    )
    .argument(
      '<file>',
      'NDJSON rows by column name, e.g. the item_catalog.ndjson weft simulate writes',
    )
    .requiredOption('--db <url>', 'mysql://user[:pass]@host:port/db or sqlite:PATH')
    .requiredOption(
      '--template <file|id>',
      'template JSON file, or published template ID[@VERSION]',
    )
    .option('--source <id>', 'the SQL source (table) to load; default: the template has only one')
    .option('--key <field>', "the source field rows are keyed by; default: the lookups' on.record")
    .action(async (file: string, flags: LoadFlags) => {
      const store = await openStoreForCli(flags.db);
      try {
        await applyMigrations(store);
        const template = await loadTemplateRef(parseTemplateRef(flags.template), store);
        const result = await loadDimensionFile(store, template, {
          file,
          ...(flags.source === undefined ? {} : { source: flags.source }),
          ...(flags.key === undefined ? {} : { key: flags.key }),
        });
        console.log(
          `loaded ${result.rows} rows into ${result.table}${result.created ? ' (created)' : ''}`,
        );
      } finally {
        await store.close();
      }
    });
}
