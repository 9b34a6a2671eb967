import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every page and route handler of the app, read from the app directory, so
 * that the authorization table cannot forget a route: a new `page.tsx` or
 * `route.ts` appears here and fails the table's completeness test until it
 * has an expectation.
 */
export interface AppRoute {
  kind: 'page' | 'api';
  /** URL pattern with Next's dynamic segments, e.g. `/api/sessions/[id]/merge`. */
  pattern: string;
  /** HTTP methods the file exports (pages: GET). */
  methods: string[];
}

export const APP_DIR = path.resolve(import.meta.dirname, '../../src/app');

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function patternOf(dir: string): string {
  const segments = path
    .relative(APP_DIR, dir)
    .split(path.sep)
    .filter((s) => s !== '' && !/^\(.*\)$/.test(s));
  return `/${segments.join('/')}`;
}

/** The methods a route handler exports: `export async function GET`, `export const POST`, `export { x as GET }`. */
export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:async\s+)?(?:function|const|let)\s+([A-Z]+)\b/g))
    found.add(m[1]!);
  for (const block of source.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of block[1]!.split(',')) {
      const name = part
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name) found.add(name);
    }
  return HTTP_METHODS.filter((m) => found.has(m));
}

/** All pages and route handlers under `appDir`, sorted by pattern. */
export function appRoutes(appDir = APP_DIR): AppRoute[] {
  const routes: AppRoute[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^page\.(tsx|ts|jsx|js)$/.test(entry.name))
        routes.push({ kind: 'page', pattern: patternOf(dir), methods: ['GET'] });
      else if (/^route\.(ts|js)$/.test(entry.name))
        routes.push({
          kind: 'api',
          pattern: patternOf(dir),
          methods: exportedMethods(readFileSync(full, 'utf8')),
        });
    }
  };
  walk(appDir);
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern));
}
