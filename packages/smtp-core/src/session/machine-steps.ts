import type { MailDsn, RcptDsn } from '../protocol/dsn-params.js';
import type { EsmtpParams } from '../protocol/esmtp-params.js';
import type { MailPath } from '../protocol/path.js';
import { closesChannel, type Reply } from '../protocol/replies.js';
import * as R from '../protocol/stock-replies.js';
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

/** The default replies of a transaction's steps, built once: nearly every transaction takes them. */
type ReplyStep = Extract<Step, { kind: 'reply' }>;
const stockStep = (r: Reply, after: After = 'continue'): ReplyStep => Object.freeze({ kind: 'reply', reply: r, after });
export const STEP_MAIL_OK = stockStep(R.REPLY_MAIL_OK);
export const STEP_RCPT_OK = stockStep(R.REPLY_RCPT_OK);
export const STEP_START_DATA = stockStep(R.REPLY_START_DATA, 'data');
export const STEP_MESSAGE_ACCEPTED = stockStep(R.REPLY_MESSAGE_ACCEPTED);

/** The step for the policy's decision, or `stock` (the default reply's, with its `after`) when it gave none. */
export const decidedStep = (decision: Reply | undefined, stock: ReplyStep): Step => (decision === undefined ? stock : replyStep(decision, stock.after));
