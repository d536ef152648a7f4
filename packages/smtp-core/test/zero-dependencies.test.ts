import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('smtp-core has no runtime dependencies', () => {
  it('package.json declares no dependencies, peer or optional dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'bundleDependencies']) {
      expect(Object.keys((pkg[field] as object | undefined) ?? {}), field).toEqual([]);
    }
  });

  it('every import in src/ is a node: built-in or a relative file', () => {
    const offenders: string[] = [];
    const importRe = /(?:^|\s)(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
    const files = sourceFiles(join(ROOT, 'src'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(importRe)) {
        const specifier = match[1] ?? match[2] ?? match[3] ?? '';
        if (!specifier.startsWith('node:') && !specifier.startsWith('./') && !specifier.startsWith('../')) {
          offenders.push(`${relative(ROOT, file)}: ${specifier}`);
        }
      }
      expect(text, relative(ROOT, file)).not.toMatch(/\brequire\s*\(/);
    }
    expect(offenders).toEqual([]);
  });
});
