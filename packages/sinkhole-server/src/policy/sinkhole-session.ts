import { parseMailDsn, parseRcptDsn, replies, type CloseReason, type Envelope, type EsmtpParams, type MailDsn, type MailPath, type RcptDsn, type ReceivedMessage, type Reply, type SessionInfo, type SessionPolicy } from '@sinkhole/smtp-core';
import { clientLabel } from '../client-address.js';
import type { Greylister } from '../greylist/greylister.js';
import type { AttemptLedger } from '../ledger/attempt-ledger.js';
import { ledgerKey, type LedgerKeyKind } from '../ledger/ledger-key.js';
import { scriptOfAddress } from '../scenario/address-script.js';
import { nextScriptReply, SCRIPT_START, type ScriptCursor } from '../scenario/script-cursor.js';
import { loggedDsn, type LoggedDsn } from '../log/dsn-field.js';
import type { AcceptedMessage } from '../log/sinkhole-events.js';
import type { SinkholeLog } from '../log/sinkhole-log.js';
import { SessionMeter } from '../metrics/mode-meters.js';
import type { SinkholeMetrics } from '../metrics/sinkhole-metrics.js';
import type { TransactionRing } from '../transactions/transaction-ring.js';
import type { ModePlan } from './mode-plan.js';
import { attemptDetails, dsnDetails } from './attempt-details.js';
import { actionOf, replyOf, type Decision } from './decision.js';

/** The accepted line's record, its optional fields set in the order the line writes them. */
type AcceptedRecord = { -readonly [K in keyof AcceptedMessage]: AcceptedMessage[K] } & { msg: 'accepted' };

/** Recipients kept per connection for its log line; rcptCount has the full count. */
export const MAX_LOGGED_RECIPIENTS = 100;

/** What every connection shares. */
export interface SessionContext {
  readonly log: SinkholeLog;
  readonly greylister: Greylister;
  readonly ledger: AttemptLedger;
  /** Recipients whose local part ends in +SCRIPT follow it. */
  readonly addressScripts: boolean;
  /** Counts replies and messages; absent in tests of the policy alone. */
  readonly metrics?: SinkholeMetrics | undefined;
  /** Where accepted transactions are kept for /transactions and waitFor(); absent when nobody reads them. */
  readonly transactions?: TransactionRing | undefined;
  /** LMTP: RCPT outcomes are given per recipient after the data (see lmtpRcpt). */
  readonly lmtp?: boolean | undefined;
}

/** An RCPT decision with the ledger key it counts under and what a script keeps for next time. */
export interface RcptVerdict {
  readonly decision: Decision;
  readonly key: string;
  readonly kind: LedgerKeyKind;
  readonly state: unknown;
}

/** One recipient of a connection as its log line shows it. */
export interface RecipientOutcome {
  readonly address: string;
  readonly attempt: number;
  readonly code: number;
}

/**
 * One connection's policy in the mode it started with. The hooks are synchronous (they
 * return replies, never promises), so the engine never waits on them. The only state is
 * what the connection's log line needs.
 */
export class SinkholeSession implements SessionPolicy {
  readonly captureHeaders: boolean;
  protected readonly plan: ModePlan;
  protected readonly context: SessionContext;
  readonly #record: boolean;
  readonly #meter: SessionMeter | undefined;
  #mailFrom: string | null = null;
  #recipients: RecipientOutcome[] | undefined;
  #rcptCount = 0;
  #mailDsn: MailDsn | undefined;
  /** NOTIFY/ORCPT of the logged recipients, index for index; undefined until one had any. */
  #rcptDsn: (RcptDsn | undefined)[] | undefined;
  /** LMTP: each accepted recipient's reply after the data (undefined: the transaction's), in RCPT order. */
  #lmtpOutcomes: (Reply | undefined)[] = [];
  #client: string | undefined;

  constructor(plan: ModePlan, context: SessionContext) {
    this.plan = plan;
    this.context = context;
    this.#record = context.log.wants('info');
    this.#meter = context.metrics === undefined ? undefined : new SessionMeter(context.metrics.forMode(plan.mode.kind));
    this.captureHeaders = (plan.logHeaders && (this.#record || context.transactions !== undefined)) || plan.scenario?.needsHeaders === true;
  }

  onMailFrom(from: MailPath, params: EsmtpParams, _session: SessionInfo): Decision {
    if (this.#record) this.#mailFrom = from.address;
    this.#lmtpOutcomes = [];
    // The engine has checked the syntax already; this only reads the values.
    const dsn = params.size === 0 ? undefined : parseMailDsn(params);
    this.#mailDsn = dsn?.ok === true ? dsn.dsn : undefined;
    return undefined;
  }

  /** The mode's RCPT answer, and the ledger key it is counted under. */
  protected decideRcpt(to: MailPath, _session: SessionInfo): RcptVerdict {
    return { decision: this.plan.rcpt, key: ledgerKey('recipient', to.address), kind: 'recipient', state: undefined };
  }

  onRcptTo(to: MailPath, params: EsmtpParams, session: SessionInfo): Decision {
    const { ledger } = this.context;
    const script = this.context.addressScripts ? scriptOfAddress(to.localPart, to.address) : undefined;
    let decision: Decision;
    let key: string;
    let kind: LedgerKeyKind = 'recipient';
    let state: unknown;
    if (script === undefined) {
      const verdict = this.decideRcpt(to, session);
      decision = verdict.decision;
      key = verdict.key;
      kind = verdict.kind;
      state = verdict.state;
    } else {
      key = ledgerKey('recipient', to.address);
      const upcoming = ledger.upcoming(key);
      const next = nextScriptReply(script, (upcoming.state as ScriptCursor | undefined) ?? SCRIPT_START, upcoming.sinceFirstMs);
      decision = next.reply;
      state = next.cursor;
    }
    const parsed = params.size === 0 ? undefined : parseRcptDsn(params);
    const dsn = parsed?.ok === true ? parsed.dsn : undefined;
    const details = attemptDetails(decision, replies.REPLY_RCPT_OK, 'rcpt', this.clientLabel(session), session.id, dsnDetails(this.#mailDsn, dsn));
    const { code } = details.outcome;
    this.#meter?.rcpt(code, script !== undefined);
    const { attempt } = ledger.record(key, kind, details, state);
    if (this.#record) {
      this.#rcptCount++;
      const list = (this.#recipients ??= []);
      if (list.length < MAX_LOGGED_RECIPIENTS) {
        if (dsn !== undefined) this.#rcptDsn ??= list.map(() => undefined);
        this.#rcptDsn?.push(dsn);
        list.push({ address: to.address, attempt, code });
      }
    }
    return this.context.lmtp === true ? this.#lmtpRcpt(decision) : decision;
  }

  /** The client as the ledger and the accepted line name it (`ip:port`), made once per connection. */
  protected clientLabel(session: SessionInfo): string {
    return (this.#client ??= clientLabel(session.remoteAddress, session.remotePort));
  }

  /**
   * LMTP (RFC 2033 §4.2): a plain 4xx/5xx outcome (not 421, which closes) is held back: RCPT gets
   * 250 and the outcome becomes that recipient's reply after the data. Actions stay at RCPT.
   */
  #lmtpRcpt(decision: Decision): Decision {
    const reply = replyOf(decision);
    const held = actionOf(decision) === undefined && reply !== undefined && reply !== null && reply.code >= 400 && reply.code !== 421;
    if (held || reply === undefined || (reply !== null && reply.code < 300)) this.#lmtpOutcomes.push(held ? reply : undefined);
    return held ? undefined : decision;
  }

  onDataEndForRecipient(_message: ReceivedMessage, recipient: MailPath, envelope: Envelope): Decision {
    return this.#lmtpOutcomes[envelope.recipients.indexOf(recipient)];
  }

  onDataEnd(message: ReceivedMessage, envelope: Envelope, session: SessionInfo): Decision {
    this.logAccepted(message, envelope, session);
    return undefined;
  }

  /** Counts, logs and keeps (for /transactions) a message the sinkhole took. */
  protected logAccepted(message: ReceivedMessage, envelope: Envelope, session: SessionInfo): void {
    this.#meter?.accepted(message.size);
    const { log, transactions } = this.context;
    const logged = log.wants('info');
    if (!logged && transactions === undefined) return;
    const accepted: AcceptedRecord = {
      msg: 'accepted',
      id: session.id,
      client: this.clientLabel(session),
      mode: this.plan.text,
      helo: session.helo ?? null,
      mailFrom: envelope.reversePath.address,
      rcptTo: envelope.recipients.map((r) => r.address),
      size: message.size,
    };
    // RFC 3030: a message sent in BDAT chunks says so, with how many.
    if (envelope.chunks > 0) {
      accepted.body = 'bdat';
      accepted.chunks = envelope.chunks;
    }
    const dsn = loggedDsn(envelope.dsn, envelope.recipientDsn);
    if (dsn !== undefined) accepted.dsn = dsn;
    if (this.plan.logHeaders) {
      accepted.headers = message.headers === undefined ? null : message.headers.toString('utf8');
      accepted.headersTruncated = message.headersTruncated;
    }
    if (logged) log.log('info', accepted);
    transactions?.record(accepted);
  }

  onClose(session: SessionInfo, reason: CloseReason): void {
    this.#meter?.closed(session.replyCounts);
    if (!this.#record) return;
    this.context.log.log('info', {
      msg: 'connection',
      id: session.id,
      // A client that reset before it was accepted has no address (see connectionClientLabel).
      client: session.remoteAddress === '' ? null : this.clientLabel(session),
      mode: this.plan.text,
      helo: session.helo ?? null,
      mailFrom: this.#mailFrom,
      rcptTo: this.#recipients === undefined ? [] : this.#recipients.map((r) => r.address),
      rcptCount: this.#rcptCount,
      recipients: this.#recipients ?? [],
      ...dsnRecord(loggedDsn(this.#mailDsn, this.#rcptDsn ?? [])),
      messages: session.messagesAccepted,
      replies: [...session.replyCounts.keys()],
      replyCounts: session.replyCounts,
      bytesIn: session.bytesIn,
      bytesOut: session.bytesOut,
      durationMs: Date.now() - session.openedAt,
      reason,
      ...(session.tls === undefined ? {} : { tls: { protocol: session.tls.protocol, cipher: session.tls.cipher } }),
      ...(session.auth === undefined ? {} : { auth: { mechanism: session.auth.mechanism, authorizationId: session.auth.authorizationId } }),
    });
  }
}

function dsnRecord(dsn: LoggedDsn | undefined): { readonly dsn?: LoggedDsn } {
  return dsn === undefined ? {} : { dsn };
}
