import { RE2JS } from 're2js';

/** Compiled patterns kept for reuse; templates use a handful of literal patterns. */
const CACHE_SIZE = 256;
const cache = new Map<string, RE2JS>();

/**
 * Why `pattern` is not a valid RE2 regular expression (CEL's specified regex
 * syntax), or null when it is.
 *
 * @example regexSyntaxError('(a') // 'error parsing regexp: missing closing ): `(a`'
 */
export function regexSyntaxError(pattern: string): string | null {
  try {
    compiled(pattern);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * CEL's `matches(text, pattern)`: true when `pattern` matches any substring of
 * `text`, evaluated by RE2 (re2js) in time linear in the text, so no pattern
 * can stall the pipeline with catastrophic backtracking. Throws on a pattern
 * that is not valid RE2.
 */
export function re2Matches(text: string, pattern: string): boolean {
  return compiled(pattern).matcher(text).find();
}

function compiled(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = RE2JS.compile(pattern);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(pattern, re);
  }
  return re;
}
