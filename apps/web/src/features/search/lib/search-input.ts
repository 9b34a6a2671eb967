/**
 * What an operator typed in the search box → what to ask the store. Assumes
 * free text (pasted from a complaint): trims it and never throws.
 *
 * - `O123` → the sessions of business key `O123`, else any field equal to it;
 * - `trans_id=T9` or `trans_id:T9` → sessions whose field `trans_id` is `T9`;
 * - `device_id=D1*` → field value prefix;
 * - `amount>=100` → numeric comparison.
 */
export type SearchInput =
  | { kind: 'empty' }
  | { kind: 'value'; value: string }
  | {
      kind: 'field';
      field: string;
      op: '=' | 'prefix' | '<' | '<=' | '>' | '>=';
      value: string | number;
    };

const FIELD_QUERY = /^([A-Za-z_$][\w$.-]{0,190})\s*(>=|<=|=|:|<|>)\s*(.+)$/;

export function parseSearchInput(text: string): SearchInput {
  const input = text.trim();
  if (input === '') return { kind: 'empty' };
  const match = FIELD_QUERY.exec(input);
  if (!match) return { kind: 'value', value: input };
  const [, field = '', rawOp = '=', rawValue = ''] = match;
  const value = rawValue.trim();
  if (rawOp === '=' || rawOp === ':') {
    if (value.endsWith('*') && value.length > 1)
      return { kind: 'field', field, op: 'prefix', value: value.slice(0, -1) };
    return { kind: 'field', field, op: '=', value };
  }
  const number = Number(value);
  if (value === '' || !Number.isFinite(number)) return { kind: 'value', value: input };
  return { kind: 'field', field, op: rawOp as '<' | '<=' | '>' | '>=', value: number };
}

/** Field values that could be numbers are tried both ways (`amount=600` matches 600 and "600"). */
export function equalityCandidates(value: string): (string | number)[] {
  const number = Number(value);
  return value.trim() !== '' && Number.isFinite(number) && String(number) === value
    ? [value, number]
    : [value];
}
