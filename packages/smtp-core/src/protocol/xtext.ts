/**
 * xtext (RFC 3461 §4): printable ASCII except `+` and `=` stands for itself; any octet may be
 * written `+XX` with two upper-case hex digits. Returns the decoded text, or undefined when
 * the value is not xtext.
 */
export function decodeXtext(value: string): string | undefined {
  let out = '';
  let plainFrom = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x2b) {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      out += value.slice(plainFrom, i) + String.fromCharCode(Number.parseInt(hex, 16));
      i += 2;
      plainFrom = i + 1;
    } else if (c < 33 || c > 126 || c === 0x3d) {
      return undefined;
    }
  }
  return plainFrom === 0 ? value : out + value.slice(plainFrom);
}

/** The xtext form of `text`: the inverse of {@link decodeXtext} for text of octets 0..255. */
export function encodeXtext(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c < 33 || c > 126 || c === 0x2b || c === 0x3d ? `+${c.toString(16).toUpperCase().padStart(2, '0')}` : text[i];
  }
  return out;
}
