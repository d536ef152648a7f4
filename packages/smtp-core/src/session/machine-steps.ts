import type { MailDsn, RcptDsn } from '../protocol/dsn-params.js';
import type { EsmtpParams } from '../protocol/esmtp-params.js';
import type { MailPath } from '../protocol/path.js';
import { closesChannel, type Reply } from '../protocol/replies.js';
import type { SaslCredentials } from '../protocol/sasl.js';
import type { Envelope } from './envelope.js';

/** A decision point where the policy is asked; `undefined` from the policy means the default reply. */
export type HookCall =
  | { readonly hook: 'connect' }
  | { readonly hook: 'helo'; readonly domain: string; readonly esmtp: boolean }
  | { readonly hook: 'mail'; readonly path: MailPath; readonly params: EsmtpParams; readonly dsn?: MailDsn | undefined }
  | { readonly hook: 'rcpt'; readonly path: MailPath; readonly params: EsmtpParams; readonly dsn?: RcptDsn | undefined }
  | { readonly hook: 'data-start'; readonly envelope: Envelope }
  | { readonly hook: 'data-end'; readonly envelope: Envelope; readonly size: number }
  /** LMTP (RFC 2033 §4.2): one recipient's reply after the data; `fallback` is the transaction's decision. */
  | { readonly hook: 'data-end-rcpt'; readonly envelope: Envelope; readonly size: number; readonly recipient: MailPath; readonly fallback: Reply; readonly last: boolean }
  | { readonly hook: 'starttls' }
  | { readonly hook: 'auth'; readonly credentials: SaslCredentials };

export type HookName = HookCall['hook'];

/** What happens after a reply is sent. */
export type After = 'continue' | 'data' | 'quit' | 'close' | 'starttls' | 'next-recipient';

export type Step =
  | { readonly kind: 'reply'; readonly reply: Reply; readonly after: After }
  | { readonly kind: 'ask'; readonly call: HookCall }
  /** Read a BDAT chunk of `size` octets (as body when `accept`, else drained), then tell the machine (chunkReceived). */
  | { readonly kind: 'chunk'; readonly size: number; readonly last: boolean; readonly accept: boolean; readonly overflow: boolean };

export type MachineState = 'greeting' | 'refused' | 'command' | 'data' | 'closed';

export const replyStep = (r: Reply, after: After = 'continue'): Step => ({
  kind: 'reply',
  reply: r,
  after: closesChannel(r) ? 'close' : after,
});
