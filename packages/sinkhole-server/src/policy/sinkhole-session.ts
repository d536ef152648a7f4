import type { CloseReason, Envelope, EsmtpParams, MailPath, ReceivedMessage, Reply, SessionInfo, SessionPolicy } from '@sinkhole/smtp-core';
import { clientLabel } from '../client-address.js';
import type { Greylister } from '../greylist/greylister.js';
import type { SinkholeLog } from '../log/sinkhole-log.js';
import { GREYLIST, type ModePlan } from './mode-plan.js';

/** Recipients kept per connection for its log line; rcptCount has the full count. */
export const MAX_LOGGED_RECIPIENTS = 100;

/** What every connection shares. */
export interface SessionContext {
  readonly log: SinkholeLog;
  readonly greylister: Greylister;
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
    if (this.#record) {
      this.#rcptCount++;
      const list = (this.#rcptTo ??= []);
      if (list.length < MAX_LOGGED_RECIPIENTS) list.push(to.address);
    }
    const rcpt = this.#plan.rcpt;
    return rcpt === GREYLIST ? this.#context.greylister.decide(to, session) : rcpt;
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
