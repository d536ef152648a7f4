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
 * One JSON object as one line, newline included. JSON.stringify escapes quotes, backslashes,
 * C0 controls and lone surrogates; the characters above are escaped as well. They can only
 * occur inside string literals, so replacing them in the serialized text is safe.
 */
export function toJsonLine(value: object): string {
  const text = JSON.stringify(value);
  return `${UNSAFE_TEST.test(text) ? text.replace(UNSAFE, escapeUnit) : text}\n`;
}
