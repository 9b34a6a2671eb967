import type { FieldValue } from '@weft/templates';

export function FieldTable({ fields, empty }: { fields: [string, FieldValue][]; empty: string }) {
  if (fields.length === 0) return <p className="muted">{empty}</p>;
  return (
    <table>
      <tbody>
        {fields.map(([name, value]) => (
          <tr key={name}>
            <th style={{ width: '40%' }}>{name}</th>
            <td className="mono">{value === null ? '—' : String(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
