import Link from 'next/link';
import type { FieldValue } from '@weft/templates';
import { fieldValueLink } from '@/features/entities';

/**
 * Where field values lead: the session's template and its entity fields
 * (session field → entity kind). Without it (the wizard's draft preview)
 * values are plain text.
 */
export interface FieldLinks {
  templateId: string;
  entityFields: Readonly<Record<string, string>>;
}

export function FieldTable({
  fields,
  empty,
  links,
}: {
  fields: [string, FieldValue][];
  empty: string;
  links?: FieldLinks;
}) {
  if (fields.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table>
      <tbody>
        {fields.map(([name, value]) => (
          <tr key={name}>
            <th style={{ width: '40%' }}>{name}</th>
            <td className="mono">
              <FieldValueCell name={name} value={value} links={links} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FieldValueCell({
  name,
  value,
  links,
}: {
  name: string;
  value: FieldValue;
  links: FieldLinks | undefined;
}) {
  const text = value === null ? '—' : String(value);
  const link = links ? fieldValueLink(links.templateId, links.entityFields, name, value) : null;
  if (!link) return text;
  const kind = link.entity ? links?.entityFields[name] : undefined;
  return (
    <Link
      href={link.href}
      title={link.title}
      prefetch={false}
      data-testid={link.entity ? 'entity-link' : 'value-link'}
    >
      {text}
      {kind && <span className="entity-tag"> {kind} ›</span>}
    </Link>
  );
}
