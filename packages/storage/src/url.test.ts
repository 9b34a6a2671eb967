import { describe, expect, it } from 'vitest';
import { InvalidStoreUrlError } from './errors.js';
import { parseStoreUrl } from './url.js';

describe('parseStoreUrl', () => {
  it('parses a full mysql URL with an encoded password', () => {
    expect(parseStoreUrl('mysql://weft:p%40ss@127.0.0.1:3307/weft_x')).toEqual({
      backend: 'mysql',
      host: '127.0.0.1',
      port: 3307,
      user: 'weft',
      password: 'p@ss',
      database: 'weft_x',
    });
  });

  it('defaults the mysql port to 3306 and allows no password', () => {
    expect(parseStoreUrl('mysql://root@db/weft')).toMatchObject({
      port: 3306,
      password: undefined,
    });
  });

  it('parses sqlite paths and the in-memory form', () => {
    expect(parseStoreUrl('sqlite::memory:')).toEqual({ backend: 'sqlite', path: ':memory:' });
    expect(parseStoreUrl('sqlite:/tmp/x.db')).toEqual({ backend: 'sqlite', path: '/tmp/x.db' });
    expect(parseStoreUrl('sqlite:data/x.db')).toEqual({ backend: 'sqlite', path: 'data/x.db' });
  });

  it('reads the page cache of a sqlite URL', () => {
    expect(parseStoreUrl('sqlite:/tmp/x.db?cache_mb=2048')).toEqual({
      backend: 'sqlite',
      path: '/tmp/x.db',
      cacheMb: 2048,
    });
    expect(parseStoreUrl('sqlite::memory:?cache_mb=1')).toMatchObject({
      path: ':memory:',
      cacheMb: 1,
    });
  });

  it.each([
    [
      'sqlite:x.db?cache_mb=0',
      /cache_mb must be a whole number of MiB from 1 to 1048576, got "0"/u,
    ],
    ['sqlite:x.db?cache_mb=1.5', /cache_mb .* got "1\.5"/u],
    ['sqlite:x.db?cache_mb=', /cache_mb .* got ""/u],
    ['sqlite:x.db?cache_mb=2000000', /cache_mb/u],
    ['sqlite:x.db?cache=shared', /unknown sqlite URL parameter "cache"/u],
    ['sqlite:?cache_mb=10', /empty/u],
  ])('rejects the sqlite URL %s naming the parameter', (url, message) => {
    expect(() => parseStoreUrl(url)).toThrow(InvalidStoreUrlError);
    expect(() => parseStoreUrl(url)).toThrow(message);
  });

  it.each([
    ['postgres://u@h/db', /scheme/u],
    ['mysql://h:3306/db', /user/u],
    ['mysql://u@h:3306/', /database/u],
    ['mysql://u@h:3306/db;drop', /database/u],
    ['sqlite:', /empty/u],
  ])('rejects %s with a message that says what is wrong', (url, message) => {
    expect(() => parseStoreUrl(url)).toThrow(InvalidStoreUrlError);
    expect(() => parseStoreUrl(url)).toThrow(message);
  });

  it('never repeats the password in the error message', () => {
    expect(() => parseStoreUrl('mysql://u:secret@h:3306/')).toThrow(/u:\*\*\*@h/u);
  });
});
