/** Longest glob an operator may write; it bounds the matching cost per character of input. */
export const MAX_GLOB_LENGTH = 256;

/**
 * A compiled glob: `*` is any run of characters (also none), `?` is exactly one, anything
 * else is itself; case-insensitive (addresses and HELO names compare so).
 *
 * No regular expression is built from operator input. A pattern is cut at its stars into
 * segments; the first must match at the start, the last at the end, and each middle one is
 * taken at its leftmost match after the previous one. For star-separated segments the
 * leftmost match is always safe (any later match leaves less room for the rest), so there
 * is no backtracking: matching costs at most text length x segment length per segment,
 * which the pattern bound keeps linear in the text.
 */
export class Glob {
  readonly source: string;
  readonly #segments: readonly string[];
  readonly #anchoredEnd: boolean;
  readonly #anchoredStart: boolean;

  constructor(pattern: string) {
    this.source = pattern;
    const lower = pattern.toLowerCase();
    const parts = lower.split('*');
    this.#anchoredStart = !lower.startsWith('*');
    this.#anchoredEnd = !lower.endsWith('*');
    this.#segments = parts;
  }

  matches(text: string): boolean {
    return this.matchesLower(text.toLowerCase());
  }

  /** matches() for a text already lowercased (the session lowercases each fact once, not per rule). */
  matchesLower(input: string): boolean {
    const segments = this.#segments;
    if (segments.length === 1) return input.length === (segments[0] as string).length && matchAt(input, 0, segments[0] as string);
    const first = segments[0] as string;
    const last = segments[segments.length - 1] as string;
    if (input.length < first.length + last.length) return false;
    if (this.#anchoredStart && !matchAt(input, 0, first)) return false;
    const end = input.length - last.length;
    if (this.#anchoredEnd && !matchAt(input, end, last)) return false;
    let position = first.length;
    for (let i = 1; i < segments.length - 1; i++) {
      const segment = segments[i] as string;
      if (segment.length === 0) continue;
      const found = find(input, segment, position, end);
      if (found === -1) return false;
      position = found + segment.length;
    }
    return position <= end;
  }
}

/** True when segment (with `?` for any one character) matches text at position. */
function matchAt(text: string, position: number, segment: string): boolean {
  if (position + segment.length > text.length) return false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== text.charCodeAt(position + i)) return false;
  }
  return true;
}

/** The leftmost position >= from where segment matches and ends by limit, or -1. */
function find(text: string, segment: string, from: number, limit: number): number {
  if (!segment.includes('?')) {
    // No wildcard in the segment: the engine's own substring search.
    const found = text.indexOf(segment, from);
    return found !== -1 && found + segment.length <= limit ? found : -1;
  }
  for (let p = from; p + segment.length <= limit; p++) if (matchAt(text, p, segment)) return p;
  return -1;
}
