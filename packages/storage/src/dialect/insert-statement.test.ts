import { describe, expect, it } from 'vitest';
import { insertStatement } from './insert-statement.js';

const mysqlLike = { quote: (id: string) => `\`${id}\``, verb: 'INSERT', suffix: '' };

describe('insertStatement', () => {
  it('binds every value positionally, row by row, in the first row’s column order', () => {
    const query = insertStatement(
      't',
      [
        { a: 1, b: 'x' },
        { a: 2, b: null },
      ],
      mysqlLike,
    );
    expect(query.sql).toBe('INSERT INTO `t` (`a`, `b`) VALUES (?, ?), (?, ?)');
    expect(query.parameters).toEqual([1, 'x', 2, null]);
  });

  it('never splices a value into the text, however it is spelled', () => {
    const evil = "x'); DROP TABLE sessions; --";
    const query = insertStatement('t', [{ a: evil }], mysqlLike);
    expect(query.sql).not.toContain('DROP');
    expect(query.parameters).toEqual([evil]);
  });

  it('appends the conflict clause and binds a missing value as NULL', () => {
    const syntax = {
      quote: (id: string) => `"${id}"`,
      verb: 'INSERT',
      suffix: 'ON CONFLICT ("a") DO UPDATE SET "b" = excluded."b"',
    };
    const query = insertStatement('t', [{ a: 1, b: 2 }, { a: 3 }], syntax);
    expect(query.sql).toBe(
      'INSERT INTO "t" ("a", "b") VALUES (?, ?), (?, ?) ON CONFLICT ("a") DO UPDATE SET "b" = excluded."b"',
    );
    expect(query.parameters).toEqual([1, 2, 3, null]);
  });

  it('refuses an empty row list', () => {
    expect(() => insertStatement('t', [], mysqlLike)).toThrow(/at least one row/u);
  });
});
