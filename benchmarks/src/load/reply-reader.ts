/**
 * Splits the server's byte stream into complete SMTP replies (RFC 5321 §4.2.1): lines
 * "250-..." continue a reply, "250 ..." (or a bare "250") ends it. Only the code is kept,
 * unless `capture` is on: then the text of the last completed reply is kept too (the
 * client needs it once, to see whether EHLO offers PIPELINING).
 */
export class ReplyReader {
  /** Keep the text of completed replies in `lastText` (off on the hot path). */
  capture = false;
  /** Lines of the last completed reply, joined by "\n", when `capture` was on. */
  lastText = '';
  private pending = '';
  private partial = '';

  /** Feeds a chunk and returns the codes of the replies it completed, in order. */
  push(chunk: Buffer): number[] {
    const text = this.pending.length === 0 ? chunk.toString('latin1') : this.pending + chunk.toString('latin1');
    const codes: number[] = [];
    let start = 0;
    for (;;) {
      const end = text.indexOf('\r\n', start);
      if (end === -1) break;
      // A line shorter than 4 characters is a final line ("250"); character 3 is '-' for a continuation.
      const final = end - start < 4 || text.charCodeAt(start + 3) !== 0x2d;
      if (this.capture) {
        this.partial += (this.partial.length === 0 ? '' : '\n') + text.slice(start, end);
        if (final) {
          this.lastText = this.partial;
          this.partial = '';
        }
      }
      if (final) codes.push(replyCode(text, start));
      start = end + 2;
    }
    this.pending = start === text.length ? '' : text.slice(start);
    return codes;
  }

  /** Characters received after the last complete line (for diagnostics). */
  get buffered(): number {
    return this.pending.length;
  }
}

function replyCode(text: string, start: number): number {
  const a = text.charCodeAt(start) - 48;
  const b = text.charCodeAt(start + 1) - 48;
  const c = text.charCodeAt(start + 2) - 48;
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9)) return 0;
  return a * 100 + b * 10 + c;
}
