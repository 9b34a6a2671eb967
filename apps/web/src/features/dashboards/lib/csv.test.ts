import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes separators and quotes, and ends lines with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          [1, 'x,"y"'],
          [null, 'plain'],
        ],
      ),
    ).toBe('a,b\r\n1,"x,""y"""\r\n,plain\r\n');
  });
  it('defuses spreadsheet formulas but keeps negative numbers as numbers', () => {
    expect(toCsv(['v'], [['=HYPERLINK("x")'], [-3], ['-3']])).toBe(
      'v\r\n"\'=HYPERLINK(""x"")"\r\n-3\r\n\'-3\r\n',
    );
  });
});
