import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { throughputChart } from './chart-from-report.js';
import { renderMarkdown } from './markdown-report.js';
import type { RunReport } from './run-report.js';

export interface WrittenFiles {
  readonly json: string;
  readonly markdown: string;
  readonly svg: string;
  /** The markdown, as printed. */
  readonly text: string;
}

/** Writes <dir>/<YYYY-MM-DD>.{json,md,svg} (a later run the same day replaces them). */
export function writeResults(report: RunReport, dir: string): WrittenFiles {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, report.startedAt.slice(0, 10));
  const files = { json: `${base}.json`, markdown: `${base}.md`, svg: `${base}.svg` };
  writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(files.svg, throughputChart(report));
  const text = renderMarkdown(report, relative(dirname(files.markdown), files.svg));
  writeFileSync(files.markdown, `${text}\n`);
  return { ...files, text };
}

export const README_START = '<!-- bench:latest:start -->';
export const README_END = '<!-- bench:latest:end -->';

/** Replaces the README section between the markers with the latest table and chart. */
export function updateReadme(readme: string, report: RunReport, files: WrittenFiles): boolean {
  if (!existsSync(readme)) return false;
  const text = readFileSync(readme, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start === -1 || end === -1 || end < start) return false;
  const body = renderMarkdown(report, relative(dirname(readme), files.svg));
  const json = relative(dirname(readme), files.json);
  const section = `${README_START}\n${body}\nRaw figures: [${json}](${json}).\n${README_END}`;
  writeFileSync(readme, text.slice(0, start) + section + text.slice(end + README_END.length));
  return true;
}
