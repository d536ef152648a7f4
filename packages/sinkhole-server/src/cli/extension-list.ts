import { DEFAULT_EXTENSIONS, EXTENSION_KEYWORDS, NO_EXTENSIONS, type Extensions } from '@sinkhole/smtp-core';
import type { ValueResult } from './values.js';

const NAMES = Object.keys(EXTENSION_KEYWORDS).map((k) => k.toLowerCase());
/** More items than there are extensions twice over is a typing accident, not a set. */
const MAX_ITEMS = 32;

/**
 * `--extensions LIST`: what EHLO advertises. Items, comma-separated, applied left to right to
 * an empty set: an extension's EHLO keyword adds it, `-keyword` removes it, `default` adds
 * today's set. `none` alone is the plain RFC 5321 service. Examples: `default`, `none`,
 * `pipelining,size`, `default,-8bitmime`.
 */
export function parseExtensionList(text: string): ValueResult<Extensions> {
  const items = text.split(',').map((item) => item.trim().toLowerCase());
  if (items.length > MAX_ITEMS) return { ok: false, problem: `at most ${MAX_ITEMS} items` };
  if (items.length === 1 && items[0] === 'none') return { ok: true, value: NO_EXTENSIONS };
  const chosen: { -readonly [K in keyof Extensions]: boolean } = { ...NO_EXTENSIONS };
  for (const [index, item] of items.entries()) {
    if (item === 'default') {
      Object.assign(chosen, DEFAULT_EXTENSIONS);
      continue;
    }
    const remove = item.startsWith('-');
    const name = remove ? item.slice(1) : item;
    const key = EXTENSION_KEYWORDS[name.toUpperCase()];
    if (key === undefined) {
      const where = item === '' ? `item ${index + 1} is empty` : `"${item}" (item ${index + 1}) is not an extension`;
      return { ok: false, problem: `${where}; expected none, default, or a comma-separated list of ${NAMES.join(', ')} (each may be -name to remove it)` };
    }
    chosen[key] = !remove;
  }
  return { ok: true, value: Object.freeze(chosen) };
}
