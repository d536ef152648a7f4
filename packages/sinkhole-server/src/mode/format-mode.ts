import type { Mode } from './mode.js';
import { parseMode } from './parse-mode.js';

/** The canonical text of a mode: parseMode(formatMode(m)) deep-equals m for every parsed m. */
export function formatMode(mode: Mode): string {
  switch (mode.kind) {
    case 'defer':
    case 'bounce':
    case 'accept':
    case 'accept-log':
    case 'greylist':
      return mode.kind;
    case 'reply':
      return `reply:${mode.code} ${mode.enhanced} ${mode.text}`;
    case 'scenario':
      return mode.text;
  }
}

/** Two modes are the same when they have the same canonical text. */
export function sameMode(a: Mode, b: Mode): boolean {
  return formatMode(a) === formatMode(b);
}

/**
 * True when value is a Mode that parseMode could have produced. Guards values
 * handed over by custom providers, which TypeScript cannot check at run time.
 */
export function isMode(value: unknown): value is Mode {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  const { kind } = candidate;
  if (kind === 'reply') {
    const { code, enhanced, text } = candidate;
    if (typeof code !== 'number' || typeof enhanced !== 'string' || typeof text !== 'string') {
      return false;
    }
    const parsed = parseMode(`reply:${code} ${enhanced} ${text}`);
    return parsed.ok && parsed.mode.kind === 'reply' && parsed.mode.code === code &&
      parsed.mode.enhanced === enhanced && parsed.mode.text === text;
  }
  if (kind === 'scenario') {
    const { text } = candidate;
    if (typeof text !== 'string') return false;
    const parsed = parseMode(text);
    return parsed.ok && parsed.mode.kind === 'scenario' && parsed.mode.text === text;
  }
  if (typeof kind !== 'string') return false;
  const parsed = parseMode(kind);
  return parsed.ok && parsed.mode.kind === kind;
}
