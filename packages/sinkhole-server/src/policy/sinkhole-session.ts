import { replies, type CloseReason, type Envelope, type EsmtpParams, type MailPath, type ReceivedMessage, type Reply, type SessionInfo, type SessionPolicy } from '@sinkhole/smtp-core';
import { clientLabel } from '../client-address.js';
import type { Greylister } from '../greylist/greylister.js';
import type { AttemptLedger } from '../ledger/attempt-ledger.js';
import { ledgerKey } from '../ledger/ledger-key.js';
import { scriptOfAddress } from '../scenario/address-script.js';
import { nextScriptReply, SCRIPT_START, type ScriptCursor } from '../scenario/script-cursor.js';
import type { SinkholeLog } from '../log/sinkhole-log.js';
import { GREYLIST, type ModePlan } from './mode-plan.js';

/** Recipients kept per connection for its log line; rcptCount has the full count. */
export const MAX_LOGGED_RECIPIENTS = 100;

/** What every connection shares. */
export interface SessionContext {
  readonly log: SinkholeLog;
  readonly greylister: Greylister;
  readonly ledger: AttemptLedger;
  /** Recipients whose local part ends in +SCRIPT follow it. */
  readonly addressScripts: boolean;
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
  readonly #plan: ModePlan;
  readonly #context: SessionContext;
  readonly #record: boolean;
  #mailFrom: string | null = null;
  #rcptTo: string[] | undefined;
  #recipients: RecipientOutcome[] | undefined;
  #rcptCount = 0;

  constructor(plan: ModePlan, context: SessionContext) {
    this.#plan = plan;
    this.#context = context;
    this.#record = context.log.wants('info');
    this.captureHeaders = plan.logHeaders && this.#record;
  }

  onMailFrom(from: MailPath): undefined {
    if (this.#record) this.#mailFrom = from.address;
    return undefined;
  }

  onRcptTo(to: MailPath, _params: EsmtpParams, session: SessionInfo): Reply | undefined {
    const { ledger } = this.#context;
    const key = ledgerKey('recipient', to.address);
    const script = this.#context.addressScripts ? scriptOfAddress(to.localPart, to.address) : undefined;
    let decision: Reply | undefined;
    let cursor: ScriptCursor | undefined;
    if (script === undefined) {
      const rcpt = this.#plan.rcpt;
      decision = rcpt === GREYLIST ? this.#context.greylister.decide(to, session) : rcpt;
    } else {
      const upcoming = ledger.upcoming(key);
      const next = nextScriptReply(script, (upcoming.state as ScriptCursor | undefined) ?? SCRIPT_START, upcoming.sinceFirstMs);
      decision = next.reply;
      cursor = next.cursor;
    }
    const outcome = decision ?? replies.REPLY_RCPT_OK;
    const { attempt } = ledger.record(
      key,
      'recipient',
      {
        outcome: { code: outcome.code, enhanced: outcome.enhanced },
        phase: 'rcpt',
        client: clientLabel(session.remoteAddress, session.remotePort),
        connection: session.id,
      },
      cursor,
    );
    if (this.#record) {
      this.#rcptCount++;
      const list = (this.#rcptTo ??= []);
      if (list.length < MAX_LOGGED_RECIPIENTS) {
        list.push(to.address);
        (this.#recipients ??= []).push({ address: to.address, attempt, code: outcome.code });
      }
    }
    return decision;
  }

  onDataEnd(message: ReceivedMessage, envelope: Envelope, session: SessionInfo): undefined {
    const log = this.#context.log;
    if (!log.wants('info')) return undefined;
    const logHeaders = this.#plan.logHeaders;
    log.log('info', {
      msg: 'accepted',
      id: session.id,
      client: clientLabel(session.remoteAddress, session.remotePort),
      mode: this.#plan.text,
      helo: session.helo ?? null,
      mailFrom: envelope.reversePath.address,
      rcptTo: envelope.recipients.map((r) => r.address),
      size: message.size,
      ...(logHeaders
        ? { headers: message.headers === undefined ? null : message.headers.toString('utf8'), headersTruncated: message.headersTruncated }
        : {}),
    });
    return undefined;
  }

  onClose(session: SessionInfo, reason: CloseReason): void {
    if (!this.#record) return;
    this.#context.log.log('info', {
      msg: 'connection',
      id: session.id,
      client: clientLabel(session.remoteAddress, session.remotePort),
      mode: this.#plan.text,
      helo: session.helo ?? null,
      mailFrom: this.#mailFrom,
      rcptTo: this.#rcptTo ?? [],
      rcptCount: this.#rcptCount,
      recipients: this.#recipients ?? [],
      messages: session.messagesAccepted,
      replies: [...session.replyCounts.keys()],
      replyCounts: Object.fromEntries(session.replyCounts),
      bytesIn: session.bytesIn,
      bytesOut: session.bytesOut,
      durationMs: Date.now() - session.openedAt,
      reason,
    });
  }
}
