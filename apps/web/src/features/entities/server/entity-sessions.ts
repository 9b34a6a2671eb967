import type { Predicate } from '@weft/storage';
import { equalityCandidates } from '@/features/search';

/** The sessions naming an entity: its kind's field equal to the key (`600` matches 600 and "600", as in search). */
export function entityWhere(field: string, key: string): Predicate[] {
  return [{ field, op: 'in', value: equalityCandidates(key) }];
}
