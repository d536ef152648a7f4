import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** .cache/hardening/ at the repository root (git-ignored). */
export const FIGURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..', '.cache', 'hardening');

export type Figure = Readonly<Record<string, number | string | boolean | null>>;

/**
 * Records a measured figure: printed (so it shows in the test output) and merged into
 * .cache/hardening/<file>.json under `key`, so the figures can be quoted after a run.
 */
export function recordFigure(file: string, key: string, figure: Figure): void {
  console.log(`[hardening] ${file} ${key}: ${JSON.stringify(figure)}`);
  const path = join(FIGURES_DIR, `${file}.json`);
  mkdirSync(FIGURES_DIR, { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    // first figure of this file
  }
  all[key] = { ...figure, node: process.version, at: new Date().toISOString() };
  writeFileSync(path, `${JSON.stringify(all, null, 2)}\n`);
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;
