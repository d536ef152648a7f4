// Characters JSON.stringify leaves as they are but that can split or disguise a log line:
// DEL and the C1 controls (U+0085 is a line break to some readers), the Unicode line and
// paragraph separators, bidirectional overrides and isolates (which reorder what a reader
// sees), and the byte order mark.
const UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
const UNSAFE_TEST = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

function escapeUnit(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * JSON.stringify escapes quotes, backslashes, C0 controls and lone surrogates; this escapes
 * the characters above as well. They can only occur inside string literals of the JSON
 * text, so replacing them there is safe.
 */
export function escapeUnsafe(json: string): string {
  return UNSAFE_TEST.test(json) ? json.replace(UNSAFE, escapeUnit) : json;
}

/** One JSON object as one line, newline included. */
export function toJsonLine(value: object): string {
  return `${escapeUnsafe(JSON.stringify(value))}\n`;
}

/**
 * A log line with `time` and `level` first, then the event's own fields (`msg` first).
 * Same output as toJsonLine({ time, level, ...event }) without building that object.
 * `time` and `level` are ISO and a fixed word: nothing to escape.
 */
export function logLine(time: string, level: string, event: object): string {
  const body = JSON.stringify(event);
  return `{"time":"${time}","level":"${level}"${body.length > 2 ? ',' : ''}${escapeUnsafe(body.slice(1))}\n`;
}

/**
 * The text between the quotes of s as a JSON string literal: s itself when it is plain
 * printable ASCII (nearly every address and name), so a formatter can write `"${jsonChars(s)}"`
 * without making a string per field.
 */
export function jsonChars(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return escapeUnsafe(JSON.stringify(s)).slice(1, -1);
  }
  return s;
}

/** A JSON string literal; plain printable ASCII (nearly every address) is copied as it is. */
export function quote(s: string): string {
  return `"${jsonChars(s)}"`;
}
