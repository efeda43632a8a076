import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// Mantine's styles are imported per component (./styles-entry.ts, ./styles-shell.ts, or the lazy
// feature that alone uses a component), so a component whose CSS nobody imports renders
// unstyled (a Switch looks like a checkbox) without any error. This walks the sources for that.
const SRC = join(import.meta.dirname, '..');
const MANTINE_STYLES = join(SRC, '..', 'node_modules', '@mantine', 'core', 'styles');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

const cssImported = (code: string) => new Set([...code.matchAll(/@mantine\/core\/styles\/(\w+)\.css/g)].map((m) => m[1] ?? ''));

function componentsUsed(code: string, styled: Set<string>): string[] {
  return [...code.matchAll(/import \{([^}]+)\} from '@mantine\/core'/g)]
    .flatMap((m) => (m[1] ?? '').split(','))
    .map((name) => name.trim().replace(/^type /, ''))
    .filter((name) => styled.has(name));
}

describe('Mantine styles', () => {
  it('every Mantine component the SPA uses has its CSS imported by the app or by its feature', () => {
    const styled = new Set(readdirSync(MANTINE_STYLES).map((f) => f.replace(/\.css$/, '')));
    const files = sources(SRC);
    const code = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
    const global = new Set([...cssImported(code.get(join(SRC, 'app', 'styles-entry.ts'))!), ...cssImported(code.get(join(SRC, 'app', 'styles-shell.ts'))!)]);
    // A feature's lazy chunks carry its own component styles; anything else is its own scope.
    const scopeOf = (file: string) => {
      const parts = relative(SRC, file).split(sep);
      return parts[0] === 'features' ? parts.slice(0, 2).join(sep) : relative(SRC, file);
    };
    const scopeCss = new Map<string, Set<string>>();
    for (const [file, text] of code) {
      const scope = scopeOf(file);
      scopeCss.set(scope, new Set([...(scopeCss.get(scope) ?? []), ...cssImported(text)]));
    }
    const missing = files.flatMap((file) =>
      componentsUsed(code.get(file)!, styled)
        .filter((c) => !global.has(c) && !scopeCss.get(scopeOf(file))!.has(c))
        .map((c) => `${relative(SRC, file)}: ${c}`),
    );
    expect(styled.size).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });
});
