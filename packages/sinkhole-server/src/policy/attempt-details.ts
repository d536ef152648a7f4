import type { MailDsn, RcptDsn, Reply } from '@sinkhole/smtp-core';
import type { AttemptDetails, AttemptOutcome } from '../ledger/attempt-ledger.js';
import { notifyText, orcptText } from '../log/dsn-field.js';
import { actionOf, replyOf, type Decision } from './decision.js';

/**
 * What the ledger records of one answer: the reply sent (`fallback`, the phase's default,
 * when the decision left it to the engine; code 0 when nothing was sent) and how it was
 * delivered, the phase, the client and the connection.
 */
export function attemptDetails(
  decision: Decision,
  fallback: Reply,
  phase: string,
  client: string,
  connection: string,
  dsn?: Readonly<Record<string, string>>,
): AttemptDetails {
  const chosen = replyOf(decision);
  const sent = chosen === undefined ? fallback : chosen;
  const action = actionOf(decision);
  const code = sent?.code ?? 0;
  const enhanced = sent?.enhanced;
  const outcome: AttemptOutcome = action === undefined ? { code, enhanced } : { code, enhanced, action };
  return dsn === undefined ? { outcome, phase, client, connection } : { outcome, phase, client, connection, dsn };
}

/** The ledger's form of an attempt's DSN requests: MAIL's RET/ENVID and the recipient's NOTIFY/ORCPT. */
export function dsnDetails(mail: MailDsn | undefined, rcpt: RcptDsn | undefined): Record<string, string> | undefined {
  if (mail === undefined && rcpt === undefined) return undefined;
  const details: Record<string, string> = {};
  if (mail?.ret !== undefined) details['ret'] = mail.ret;
  if (mail?.envid !== undefined) details['envid'] = mail.envid;
  const notify = notifyText(rcpt);
  if (notify !== null) details['notify'] = notify;
  const orcpt = orcptText(rcpt);
  if (orcpt !== null) details['orcpt'] = orcpt;
  return Object.keys(details).length === 0 ? undefined : details;
}
