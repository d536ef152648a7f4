/** RFC 5322 atext (the characters of an unquoted local part, '.' apart), ASCII only. */
export const ATEXT = new Uint8Array(128);
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~") ATEXT[c.charCodeAt(0)] = 1;

/** RFC 5321 Let-dig, ASCII only. */
export function isAsciiLetDig(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}

/** The source route of every path that has none. */
export const NO_ROUTE: readonly string[] = Object.freeze([]);
