import type { Spread } from '../stats/summary.js';

/** 17234.5 → "17,235"; NaN → "–". */
export function formatRate(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–';
}

/** Median with [min–max], rates rounded. */
export function formatSpread(s: Spread): string {
  if (s.n === 0) return '–';
  if (s.n === 1) return formatRate(s.median);
  return `${formatRate(s.median)} [${formatRate(s.min)}–${formatRate(s.max)}]`;
}

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

export function formatPercent(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(0)}%` : '–';
}

export function formatMegabytes(bytes: number): string {
  return Number.isFinite(bytes) ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : '–';
}

export function formatMicros(micros: number): string {
  if (!Number.isFinite(micros)) return '–';
  return micros >= 10_000 ? `${(micros / 1000).toFixed(1)} ms` : `${Math.round(micros)} µs`;
}

/** Escapes text for a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}
