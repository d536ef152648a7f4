import { replies, type Envelope, type EsmtpParams, type MailPath, type ReceivedMessage, type Extensions, type SaslCredentials, type SessionInfo, type StartTlsAbort } from '@sinkhole/smtp-core';
import { clientIp } from '../client-address.js';
import { ledgerKey, type LedgerKeyKind } from '../ledger/ledger-key.js';
import { parseIp } from '../scenario/cidr.js';
import { headerLookup } from '../scenario/header-lookup.js';
import { ruleMatches, type PhaseFacts } from '../scenario/rule-match.js';
import type { Phase, ScenarioDocument, ScenarioRule } from '../scenario/scenario-types.js';
import { nextScriptReply, SCRIPT_START, type ScriptCursor } from '../scenario/script-cursor.js';
import { attemptDetails } from './attempt-details.js';
import { replyOf, toDecision, type Decision } from './decision.js';
import type { ModePlan } from './mode-plan.js';
import { SinkholeSession, type RcptVerdict, type SessionContext } from './sinkhole-session.js';

/** What a script rule keeps in the ledger between attempts. */
interface RuleState {
  readonly rule: number;
  readonly cursor: ScriptCursor;
}

type Facts = Partial<Omit<PhaseFacts, 'phase' | 'client' | 'attempt'>> & { readonly attemptKey?: string | undefined };

const NO_ATTEMPT = (): undefined => undefined;

/**
 * A connection in a mode with rules (a JSON document, or the greylist preset): each hook
 * tries the rules in order and the first match answers; the plan's answers cover the rest.
 * RCPT rules apply per recipient; the data-end reply applies to the transaction.
 */
export class ScenarioSession extends SinkholeSession {
  readonly #document: ScenarioDocument;
  #client: PhaseFacts['client'] | null = null;
  #mailSize: number | undefined;

  constructor(plan: ModePlan, context: SessionContext) {
    super(plan, context);
    this.#document = plan.scenario as ScenarioDocument;
  }

  onConnect(session: SessionInfo): Decision {
    return this.#has('connect') ? this.#decide('connect', session, {}) : undefined;
  }

  onHelo(domain: string, session: SessionInfo): Decision {
    return this.#has('helo') ? this.#decide('helo', session, { helo: domain.toLowerCase() }) : undefined;
  }

  /** Phase helo, rule `extensions`: what this client's EHLO advertises (the first such rule that matches). */
  extensionsFor(session: SessionInfo): Extensions | undefined {
    const all = this.#facts('helo', session, {});
    for (const rule of this.#document.byPhase.get('helo') ?? []) {
      if (rule.outcome.kind === 'extensions' && ruleMatches(rule.when, all)) return rule.outcome.extensions;
    }
    return undefined;
  }

  /** Phase starttls: a reply (454 refuses), or `tls: reset|alert` for a 220 and a broken handshake. */
  onStartTls(session: SessionInfo): Decision | StartTlsAbort {
    const rule = this.#firstMatch('starttls', session, { helo: session.helo });
    if (rule?.outcome.kind === 'tls-abort') return { abort: rule.outcome.abort };
    return rule === undefined ? undefined : this.#answer(rule);
  }

  /** Phase auth: e.g. `535 5.7.8` refuses the credentials (never looked at or logged). */
  onAuth(_credentials: SaslCredentials, session: SessionInfo): Decision {
    return this.#decide('auth', session, { helo: session.helo });
  }

  override onMailFrom(from: MailPath, params: EsmtpParams, session: SessionInfo): Decision {
    super.onMailFrom(from, params, session);
    const size = params.get('SIZE');
    this.#mailSize = typeof size === 'string' && /^\d{1,15}$/.test(size) ? Number(size) : undefined;
    if (!this.#has('mail')) return undefined;
    return this.#decide('mail', session, { helo: session.helo?.toLowerCase(), from: from.address.toLowerCase(), size: this.#mailSize });
  }

  protected override decideRcpt(to: MailPath, session: SessionInfo): RcptVerdict {
    const { key, kind } = this.#rcptKey(to, session);
    const rule = this.#has('rcpt')
      ? this.#firstMatch('rcpt', session, {
          helo: session.helo?.toLowerCase(),
          from: session.envelope?.reversePath.address.toLowerCase(),
          to: [to.address.toLowerCase()],
          size: this.#mailSize,
          attemptKey: key,
        })
      : undefined;
    if (rule === undefined) return { decision: this.plan.rcpt, key, kind, state: undefined };
    if (rule.outcome.kind === 'script') {
      const upcoming = this.context.ledger.upcoming(key);
      const kept = upcoming.state as RuleState | undefined;
      const next = nextScriptReply(rule.outcome.script, kept?.rule === rule.index ? kept.cursor : SCRIPT_START, upcoming.sinceFirstMs);
      const state: RuleState = { rule: rule.index, cursor: next.cursor };
      return { decision: toDecision(next.reply, rule.delivery), key, kind, state };
    }
    if (rule.outcome.kind === 'greylist') {
      return { decision: toDecision(this.context.greylister.decide(to, session), rule.delivery), key, kind, state: undefined };
    }
    return { decision: this.#answer(rule), key, kind, state: undefined };
  }

  onDataStart(envelope: Envelope, session: SessionInfo): Decision {
    return this.#has('data') ? this.#decide('data', session, this.#envelopeFacts(envelope, session, undefined)) : undefined;
  }

  override onDataEnd(message: ReceivedMessage, envelope: Envelope, session: SessionInfo): Decision {
    const header = this.#document.needsHeaders || this.#document.countBy === 'message-id' ? headerLookup(message.headers) : undefined;
    const messageId = this.#document.countBy === 'message-id' ? header?.('message-id')[0] : undefined;
    const attemptKey = messageId === undefined ? undefined : ledgerKey('message-id', messageId);
    const decision = this.#has('data-end') ? this.#decide('data-end', session, { ...this.#envelopeFacts(envelope, session, message.size), header, attemptKey }) : undefined;
    const reply = replyOf(decision);
    if (attemptKey !== undefined) {
      this.context.ledger.record(attemptKey, 'message-id', attemptDetails(decision, replies.REPLY_MESSAGE_ACCEPTED, 'data-end', this.clientLabel(session), session.id));
    }
    if (reply === undefined || (reply !== null && reply.code >= 200 && reply.code < 300)) this.logAccepted(message, envelope, session);
    return decision;
  }

  #envelopeFacts(envelope: Envelope, session: SessionInfo, size: number | undefined): Facts {
    return {
      helo: session.helo?.toLowerCase(),
      from: envelope.reversePath.address.toLowerCase(),
      to: envelope.recipients.map((r) => r.address.toLowerCase()),
      size: size ?? this.#mailSize,
    };
  }

  #rcptKey(to: MailPath, session: SessionInfo): { readonly key: string; readonly kind: LedgerKeyKind } {
    switch (this.#document.countBy) {
      case 'triplet':
        return { key: ledgerKey('triplet', clientIp(session.remoteAddress), session.envelope?.reversePath.address ?? '', to.address), kind: 'triplet' };
      case 'client':
        return { key: ledgerKey('client', clientIp(session.remoteAddress)), kind: 'client' };
      default:
        return { key: ledgerKey('recipient', to.address), kind: 'recipient' };
    }
  }

  #decide(phase: Phase, session: SessionInfo, facts: Facts): Decision {
    const key = facts.attemptKey ?? (this.#document.countBy === 'client' ? ledgerKey('client', clientIp(session.remoteAddress)) : undefined);
    const rule = this.#firstMatch(phase, session, { ...facts, attemptKey: key });
    return rule === undefined ? undefined : this.#answer(rule);
  }

  #answer(rule: ScenarioRule): Decision {
    // Scripts and greylisting answer rcpt only (the document reader makes sure). A rule that
    // closes without a reply of its own closes silently.
    if (rule.outcome.kind === 'reply') return toDecision(rule.outcome.reply, rule.delivery);
    const close = rule.delivery.close;
    return toDecision(close === 'fin' || close === 'rst' ? null : undefined, rule.delivery);
  }

  #firstMatch(phase: Phase, session: SessionInfo, facts: Facts): ScenarioRule | undefined {
    const all = this.#facts(phase, session, facts);
    for (const rule of this.#document.byPhase.get(phase) ?? []) if (ruleMatches(rule.when, all)) return rule;
    return undefined;
  }

  #facts(phase: Phase, session: SessionInfo, facts: Facts): PhaseFacts {
    const key = facts.attemptKey;
    return {
      phase,
      client: this.#clientAddress(session),
      helo: facts.helo,
      from: facts.from,
      to: facts.to,
      size: facts.size,
      header: facts.header,
      attempt: key === undefined ? NO_ATTEMPT : () => this.context.ledger.upcoming(key),
    };
  }

  #has(phase: Phase): boolean {
    return this.#document.byPhase.has(phase);
  }

  #clientAddress(session: SessionInfo): PhaseFacts['client'] {
    if (this.#client === null) this.#client = parseIp(clientIp(session.remoteAddress));
    return this.#client;
  }
}
