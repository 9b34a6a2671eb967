// Odd and not a multiple of 5, so multiplying by it permutes the residues mod 10^n.
const MULTIPLIER = 7_654_321;
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, n) => 10 ** n);

/**
 * A fixed-length decimal id for the `index`-th entity: looks scrambled, as real
 * order numbers do, yet distinct indexes always give distinct ids (an affine
 * bijection mod 10^length), so no two sessions ever share a key by accident.
 * Exact while index * 7,654,321 + salt < 2^53 (indexes up to about 10^9).
 * Example: `permutedId(0, 10, 17)` → `"0000000017"`.
 */
export function permutedId(index: number, length: number, salt: number): string {
  const modulus = POWERS_OF_TEN[length] as number;
  const value = (index * MULTIPLIER + salt) % modulus;
  return String(value).padStart(length, '0');
}
