/**
 * Splits the server's byte stream into complete SMTP replies (RFC 5321 §4.2.1): lines
 * "250-..." continue a reply, "250 ..." (or a bare "250") ends it. Works on the bytes and
 * keeps only the code, so the hot path allocates nothing but the result array; with
 * `capture` on, the text of the last completed reply is kept too (the client needs it once,
 * to see whether EHLO offers PIPELINING).
 */
export class ReplyReader {
  /** Keep the text of completed replies in `lastText` (off on the hot path). */
  capture = false;
  /** Lines of the last completed reply, joined by "\n", when `capture` was on. */
  lastText = '';
  private pending: Buffer | null = null;
  private partial = '';

  /** Feeds a chunk and returns the codes of the replies it completed, in order. */
  push(chunk: Buffer): number[] {
    const buf = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = null;
    const codes: number[] = [];
    let start = 0;
    for (;;) {
      const lf = buf.indexOf(0x0a, start);
      if (lf === -1) break;
      // Content runs to the CR before the LF (a bare LF is tolerated).
      const end = lf > start && buf[lf - 1] === 0x0d ? lf - 1 : lf;
      const final = end - start < 4 || buf[start + 3] !== 0x2d;
      if (this.capture) {
        this.partial += (this.partial.length === 0 ? '' : '\n') + buf.toString('latin1', start, end);
        if (final) {
          this.lastText = this.partial;
          this.partial = '';
        }
      }
      if (final) codes.push(replyCode(buf, start, end));
      start = lf + 1;
    }
    if (start < buf.length) this.pending = Buffer.from(buf.subarray(start));
    return codes;
  }

  /** Bytes received after the last complete line (for diagnostics). */
  get buffered(): number {
    return this.pending === null ? 0 : this.pending.length;
  }
}

function replyCode(buf: Buffer, start: number, end: number): number {
  if (end - start < 3) return 0;
  const a = buf[start]! - 48;
  const b = buf[start + 1]! - 48;
  const c = buf[start + 2]! - 48;
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9)) return 0;
  return a * 100 + b * 10 + c;
}
