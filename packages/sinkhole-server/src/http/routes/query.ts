import { parseDuration } from '../../cli/values.js';
import { HttpError } from '../http-error.js';

/** Longest query value read (an address is at most a command line). */
const MAX_VALUE_LENGTH = 1024;

/** Refuses parameters the route does not know, and repeated ones. */
export function checkQuery(query: URLSearchParams, known: readonly string[]): void {
  const seen = new Set<string>();
  for (const [name, value] of query) {
    if (!known.includes(name)) {
      throw new HttpError('bad_request', `unknown query parameter "${name.slice(0, 64)}"${known.length > 0 ? `; this route takes ${known.join(', ')}` : '; this route takes none'}`);
    }
    if (seen.has(name)) throw new HttpError('bad_request', `query parameter "${name}" is given twice`);
    if (value.length > MAX_VALUE_LENGTH) throw new HttpError('bad_request', `query parameter "${name}" is longer than ${MAX_VALUE_LENGTH} characters`);
    seen.add(name);
  }
}

/** A non-empty text parameter, or undefined when absent. */
export function textParam(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (value.trim() === '') throw new HttpError('bad_request', `query parameter "${name}" is empty`);
  return value.trim();
}

/** A duration parameter (`5s`, `500ms`, plain ms) between 0 and max. */
export function durationParam(query: URLSearchParams, name: string, maxMs: number): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new HttpError('bad_request', `query parameter "${name}": ${parsed.problem}`);
  if (parsed.value > maxMs) throw new HttpError('bad_request', `query parameter "${name}" must be at most ${maxMs} ms (--http-max-wait)`);
  return parsed.value;
}
