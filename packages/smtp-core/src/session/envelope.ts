import type { EsmtpParams } from '../protocol/esmtp-params.js';
import type { MailPath } from '../protocol/path.js';

/** The current mail transaction (RFC 5321 §3.3): cleared by RSET, HELO/EHLO and the end of DATA. */
export interface Envelope {
  readonly reversePath: MailPath;
  readonly mailParams: EsmtpParams;
  /** Recipients the policy accepted, in order. */
  readonly recipients: readonly MailPath[];
  /** RCPT commands refused so far in this transaction (by syntax, limits or the policy). */
  readonly refusedRecipients: number;
}

export class MutableEnvelope implements Envelope {
  readonly reversePath: MailPath;
  readonly mailParams: EsmtpParams;
  readonly recipients: MailPath[] = [];
  refusedRecipients = 0;

  constructor(reversePath: MailPath, mailParams: EsmtpParams) {
    this.reversePath = reversePath;
    this.mailParams = mailParams;
  }

  get smtpUtf8(): boolean {
    return this.mailParams.has('SMTPUTF8');
  }
}
