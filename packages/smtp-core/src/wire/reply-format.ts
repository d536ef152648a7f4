import type { Reply } from '../protocol/replies.js';

/**
 * Encodes a reply for the wire (RFC 5321 §4.2): `code-text` continuation lines and a final
 * `code SP text`, with the enhanced code (RFC 2034) after the code on every line when asked.
 */
export function formatReply(r: Reply, withEnhanced: boolean): Buffer {
  const enhanced = withEnhanced ? r.enhanced : undefined;
  const last = r.lines.length - 1;
  let text = '';
  for (let i = 0; i <= last; i++) {
    const line = r.lines[i] ?? '';
    const content = enhanced === undefined ? line : line === '' ? enhanced : `${enhanced} ${line}`;
    // RFC 5321 §4.2: Reply-code "-" [ textstring ] on continuations, Reply-code [ SP textstring ] last.
    const separator = i === last ? (content === '' ? '' : ' ') : '-';
    text += `${r.code}${separator}${content}\r\n`;
  }
  return Buffer.from(text, 'utf8');
}

/**
 * Formats replies once and reuses the bytes: replies are frozen values, so the stock replies
 * and a policy's constant replies are encoded a single time per encoder.
 */
export class ReplyEncoder {
  readonly #withEnhanced: boolean;
  readonly #cache = new WeakMap<Reply, Buffer>();

  constructor(withEnhanced: boolean) {
    this.#withEnhanced = withEnhanced;
  }

  encode(r: Reply): Buffer {
    let bytes = this.#cache.get(r);
    if (bytes === undefined) {
      bytes = formatReply(r, this.#withEnhanced);
      if (Object.isFrozen(r)) this.#cache.set(r, bytes);
    }
    return bytes;
  }
}
