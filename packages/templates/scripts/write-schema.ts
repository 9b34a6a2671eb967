/** Writes template.schema.json (the JSON Schema editors use): `npm run schema -w @weft/templates`. */
import { writeFileSync } from 'node:fs';
import { templateJsonSchema } from '../src/json-schema.js';

const file = new URL('../template.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(templateJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
