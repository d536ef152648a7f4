import type { MailDsn, RcptDsn } from '../protocol/dsn-params.js';
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
  /** RET and ENVID of MAIL FROM (RFC 3461), when the client sent either. */
  readonly dsn: MailDsn | undefined;
  /** NOTIFY and ORCPT of each accepted recipient, index for index with {@link recipients}. */
  readonly recipientDsn: readonly (RcptDsn | undefined)[];
  /** BDAT chunks received in this transaction (RFC 3030); 0 while none, and for a message sent with DATA. */
  readonly chunks: number;
}

export class MutableEnvelope implements Envelope {
  readonly reversePath: MailPath;
  readonly mailParams: EsmtpParams;
  readonly dsn: MailDsn | undefined;
  recipients: MailPath[] = [];
  recipientDsn: (RcptDsn | undefined)[] = [];
  refusedRecipients = 0;
  chunks = 0;
  /** Body octets of the BDAT chunks so far. */
  chunkedBytes = 0;

  constructor(reversePath: MailPath, mailParams: EsmtpParams, dsn: MailDsn | undefined) {
    this.reversePath = reversePath;
    this.mailParams = mailParams;
    this.dsn = dsn;
  }

  get smtpUtf8(): boolean {
    return this.mailParams.has('SMTPUTF8');
  }

  addRecipient(path: MailPath, dsn: RcptDsn | undefined): void {
    // Nearly every transaction has one recipient: a one-slot array, where push would reserve 17.
    if (this.recipients.length === 0) {
      this.recipients = [path];
      this.recipientDsn = [dsn];
      return;
    }
    this.recipients.push(path);
    this.recipientDsn.push(dsn);
  }
}
