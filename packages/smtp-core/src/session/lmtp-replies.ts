import type { MailPath } from '../protocol/path.js';
import { reply, type Reply } from '../protocol/replies.js';
import { REPLY_MESSAGE_ACCEPTED } from '../protocol/stock-replies.js';
import type { Envelope } from './envelope.js';
import type { HookCall } from './machine-steps.js';

/** RFC 2033 §4.1: an LMTP server must not take EHLO or HELO. */
export const REPLY_LMTP_NEEDS_LHLO = reply(500, '5.5.1', 'This is an LMTP server: use LHLO');

/**
 * RFC 2033 §4.2: after the end of the data an LMTP server answers once per accepted recipient,
 * in RCPT order. The transaction's end-of-data decision is each recipient's default; the
 * policy's per-recipient hook may change it, one recipient at a time.
 */
export class LmtpReplies {
  readonly #envelope: Envelope;
  readonly #size: number;
  readonly #fallback: Reply;
  #index = 0;

  constructor(envelope: Envelope, size: number, decision: Reply | undefined) {
    this.#envelope = envelope;
    this.#size = size;
    this.#fallback = decision ?? REPLY_MESSAGE_ACCEPTED;
  }

  /** The hook call for the next recipient. */
  call(): Extract<HookCall, { hook: 'data-end-rcpt' }> {
    const recipient = this.#envelope.recipients[this.#index] as MailPath;
    return { hook: 'data-end-rcpt', envelope: this.#envelope, size: this.#size, recipient, fallback: this.#fallback, last: this.#index === this.#envelope.recipients.length - 1 };
  }

  /** That recipient's reply; then true while more recipients wait for theirs. */
  answer(decision: Reply | undefined): { readonly reply: Reply; readonly more: boolean } {
    this.#index++;
    return { reply: decision ?? this.#fallback, more: this.#index < this.#envelope.recipients.length };
  }
}
