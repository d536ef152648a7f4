import type { Command } from '../protocol/command.js';
import type { EsmtpParams } from '../protocol/esmtp-params.js';
import type { MailPath } from '../protocol/path.js';
import { closesChannel, isPositive, type Reply } from '../protocol/replies.js';
import { LmtpReplies, REPLY_LMTP_NEEDS_LHLO } from './lmtp-replies.js';
import { chunkReceivedReply, chunkStep, planChunk, type ChunkPlan } from './chunking-rules.js';
import * as R from '../protocol/stock-replies.js';
import { MutableEnvelope, type Envelope } from './envelope.js';
import { checkMailParams, checkRcptParams, isBinaryMime } from './transaction-params.js';
import { greetingsFor, HELP_REPLY, type SessionMachineConfig } from './machine-config.js';
import { ehloWithSecurity, heloAnswer } from './ehlo-variants.js';
import { SessionSecurity, type AuthInfo } from './session-security.js';
import { decidedStep, replyStep, STEP_MAIL_OK, STEP_MESSAGE_ACCEPTED, STEP_RCPT_OK, STEP_START_DATA, type HookCall, type MachineState, type Step } from './machine-steps.js';

export type { SessionMachineConfig } from './machine-config.js';

export type { After, HookCall, HookName, MachineState, Step } from './machine-steps.js';

/**
 * The RFC 5321 session rules, without I/O: it takes parsed commands and policy decisions and
 * returns the reply to send, or the hook to ask first. It owns every ordering rule (§4.1.4),
 * the extension parameters and the recipient limit, so all of them can be model-checked.
 */
export class SessionMachine {
  #config: SessionMachineConfig;
  readonly #greeting: Reply;
  readonly #heloReply: Reply;
  #ehloReply: Reply;
  #state: MachineState = 'greeting';
  #pending: HookCall | undefined;
  #helo: string | undefined;
  #esmtp = false;
  #envelope: MutableEnvelope | undefined;
  #errors = 0;
  #chunk: ChunkPlan | undefined;
  #lmtp: LmtpReplies | undefined;
  readonly #security: SessionSecurity;

  constructor(config: SessionMachineConfig) {
    this.#config = config;
    this.#security = new SessionSecurity(config);
    const replies = greetingsFor(config);
    this.#greeting = replies.greeting;
    this.#heloReply = replies.helo;
    this.#ehloReply = replies.ehlo;
  }

  get state(): MachineState { return this.#state; }
  get helo(): string | undefined { return this.#helo; }
  get esmtp(): boolean { return this.#esmtp; }
  get envelope(): Envelope | undefined { return this.#envelope; }
  get pending(): HookCall | undefined { return this.#pending; }
  get protocolErrors(): number { return this.#errors; }
  get tls(): boolean { return this.#security.tls; }
  get auth(): AuthInfo | undefined { return this.#security.auth; }
  /** True after a 334 challenge: the next line is a SASL response, not a command ({@link authResponse}). */
  get expectingAuthResponse(): boolean { return this.#security.exchanging; }

  /** The first step of a session: ask the connect hook for the greeting. */
  start(): Step { return this.#ask({ hook: 'connect' }); }

  receive(cmd: Command): Step {
    if (this.#pending !== undefined) throw new Error(`SessionMachine.receive while ${this.#pending.hook} is pending`);
    if (this.#state === 'refused' && cmd.verb !== 'QUIT') return this.#error(R.REPLY_REFUSED_SEND_QUIT);
    const gated = this.#security.gate(cmd.verb);
    if (gated !== undefined) return replyStep(gated);
    switch (cmd.verb) {
      case 'EHLO':
      case 'HELO':
        if (this.#config.lmtp === true) return this.#error(REPLY_LMTP_NEEDS_LHLO);
        return this.#ask({ hook: 'helo', domain: cmd.domain, esmtp: cmd.verb === 'EHLO' });
      case 'MAIL': return this.#mail(cmd.path, cmd.params);
      case 'RCPT': return this.#rcpt(cmd.path, cmd.params);
      case 'DATA': return this.#data();
      case 'RSET':
        this.#envelope = undefined;
        return replyStep(R.REPLY_RESET);
      case 'NOOP': return replyStep(R.REPLY_OK);
      case 'QUIT':
        this.#state = 'closed';
        return replyStep(R.REPLY_BYE, 'quit');
      case 'VRFY': return replyStep(R.REPLY_VRFY);
      case 'HELP': return replyStep(HELP_REPLY);
      case 'STARTTLS': return this.#securityReply(this.#security.starttls());
      case 'AUTH':
        if (!this.#esmtp) return this.#error(R.REPLY_BAD_SEQUENCE_HELO);
        return this.#securityReply(this.#security.authCommand(cmd.mechanism, cmd.initialResponse, this.#envelope !== undefined));
      case 'BDAT': return this.#config.extensions.chunking ? this.#bdat(cmd.size, cmd.last) : this.#error(R.REPLY_NOT_IMPLEMENTED);
      case 'LHLO':
        if (this.#config.lmtp === true) return this.#ask({ hook: 'helo', domain: cmd.domain, esmtp: true });
        return this.#error(R.REPLY_NOT_IMPLEMENTED);
      case 'NOT_IMPLEMENTED': return this.#error(R.REPLY_NOT_IMPLEMENTED);
      case 'HTTP':
        this.#state = 'closed';
        return replyStep(R.REPLY_NOT_SMTP);
      case 'UNKNOWN': return this.#error(R.REPLY_UNRECOGNIZED);
      case 'INVALID': return this.#error(cmd.reply);
    }
  }

  /**
   * This session's own extension set (the policy's extensionsFor), from the next EHLO on: what
   * is advertised and which parameters are taken. ENHANCEDSTATUSCODES stays the server's.
   */
  useExtensions(extensions: SessionMachineConfig['extensions']): void {
    this.#config = { ...this.#config, extensions };
    this.#ehloReply = greetingsFor(this.#config).ehlo;
  }

  /** The client's line after a 334 challenge (CRLF removed). */
  authResponse(line: string): Step { return this.#securityReply(this.#security.authLine(line)); }

  /**
   * The TLS handshake after STARTTLS completed. RFC 3207 §4.2: the server discards what it
   * knew from the client (HELO, the transaction, AUTH); the client starts again with EHLO.
   */
  tlsStarted(): void {
    this.#security.tlsStarted();
    this.#helo = undefined;
    this.#esmtp = false;
    this.#envelope = undefined;
  }

  /** A line over the length limit was dropped (RFC 5321 §4.5.3.1.4). */
  lineTooLong(): Step {
    this.#security.cancelExchange();
    return this.#error(R.REPLY_LINE_TOO_LONG);
  }

  /** The DATA body ended (CRLF.CRLF); `overflowed` when it passed the size limit. */
  dataReceived(size: number, overflowed: boolean): Step {
    const envelope = this.#envelope;
    if (this.#state !== 'data' || envelope === undefined) throw new Error('SessionMachine.dataReceived outside DATA');
    this.#state = 'command';
    if (overflowed) {
      this.#envelope = undefined;
      return replyStep(R.REPLY_MESSAGE_TOO_BIG);
    }
    return this.#ask({ hook: 'data-end', envelope, size });
  }

  /** LMTP: after a recipient's reply went out, ask for the next one's. */
  nextRecipient(): Step { return this.#ask((this.#lmtp as LmtpReplies).call()); }

  /** The octets of the BDAT chunk announced by the last `chunk` step have all been read. */
  chunkReceived(): Step {
    const plan = this.#chunk;
    const envelope = this.#envelope;
    if (plan === undefined) throw new Error('SessionMachine.chunkReceived without a BDAT chunk');
    this.#chunk = undefined;
    if (plan.refusal !== undefined || envelope === undefined) {
      if (plan.overflow) this.#envelope = undefined;
      return plan.error ? this.#error(plan.refusal ?? R.REPLY_BAD_SEQUENCE_NEED_MAIL) : replyStep(plan.refusal ?? R.REPLY_BAD_SEQUENCE_NEED_MAIL);
    }
    envelope.chunks++;
    envelope.chunkedBytes += plan.size;
    return plan.last ? this.#ask({ hook: 'data-end', envelope, size: envelope.chunkedBytes }) : replyStep(chunkReceivedReply(plan.size));
  }

  /**
   * Completes the pending hook with the policy's decision (undefined: the default reply).
   * The caller checks the decision with `decisionProblem` first.
   */
  settle(decision: Reply | undefined): Step {
    const call = this.#pending;
    if (call === undefined) throw new Error('SessionMachine.settle with nothing pending');
    this.#pending = undefined;
    const accepted = decision === undefined || isPositive(decision) || (call.hook === 'data-start' && decision.code === 354);
    switch (call.hook) {
      case 'connect':
        if (decision !== undefined && !accepted) {
          this.#state = closesChannel(decision) ? 'closed' : 'refused';
          return replyStep(decision);
        }
        this.#state = 'command';
        return replyStep(decision ?? this.#greeting);
      case 'helo':
        if (accepted) {
          this.#helo = call.domain;
          this.#esmtp = call.esmtp;
          this.#envelope = undefined;
        }
        return replyStep(decision === undefined || accepted ? this.#heloAnswer(call.esmtp, decision) : decision);
      case 'mail':
        if (accepted) this.#envelope = new MutableEnvelope(call.path, call.params, call.dsn);
        return decidedStep(decision, STEP_MAIL_OK);
      case 'rcpt':
        if (this.#envelope !== undefined) {
          if (accepted) this.#envelope.addRecipient(call.path, call.dsn);
          else this.#envelope.refusedRecipients++;
        }
        return decidedStep(decision, STEP_RCPT_OK);
      case 'data-start':
        // The first BDAT asked what DATA's 354 would: a refusal drains its chunk and answers it.
        if (this.#chunk !== undefined) return chunkStep((this.#chunk = accepted ? this.#chunk : { ...this.#chunk, refusal: decision }));
        if (accepted) {
          this.#state = 'data';
          return decidedStep(decision, STEP_START_DATA);
        }
        return replyStep(decision as Reply);
      case 'data-end':
        if (this.#config.lmtp === true && call.envelope.recipients.length > 0) {
          this.#lmtp = new LmtpReplies(call.envelope, call.size, decision);
          return this.#ask(this.#lmtp.call());
        }
        this.#envelope = undefined;
        return decidedStep(decision, STEP_MESSAGE_ACCEPTED);
      case 'data-end-rcpt': {
        const answer = (this.#lmtp as LmtpReplies).answer(decision);
        if (!answer.more) [this.#lmtp, this.#envelope] = [undefined, undefined];
        return replyStep(answer.reply, answer.more ? 'next-recipient' : 'continue');
      }
      case 'starttls':
        return accepted ? replyStep(decision ?? R.REPLY_READY_FOR_TLS, 'starttls') : replyStep(decision as Reply);
      case 'auth':
        if (accepted) this.#security.authenticated(call.credentials);
        return replyStep(decision ?? R.REPLY_AUTH_OK);
    }
  }

  /** Marks the session closed (the connection went away or the server shut it). */
  close(): void {
    this.#state = 'closed';
    this.#pending = undefined;
    this.#lmtp = undefined;
  }

  #heloAnswer(esmtp: boolean, decision: Reply | undefined): Reply {
    return heloAnswer(ehloWithSecurity(this.#ehloReply, this.#security.offerStartTls, this.#security.offerAuth), this.#heloReply, this.#config.hostname, esmtp, decision);
  }

  #securityReply(result: ReturnType<SessionSecurity['starttls']>): Step {
    switch (result.kind) {
      case 'ask-starttls':
        return this.#ask({ hook: 'starttls' });
      case 'ask-auth':
        return this.#ask({ hook: 'auth', credentials: result.credentials });
      case 'reply':
        return result.error === true ? this.#error(result.reply) : replyStep(result.reply);
    }
  }

  #mail(path: MailPath, params: EsmtpParams): Step {
    if (this.#config.requireHelo && this.#helo === undefined) return this.#error(R.REPLY_BAD_SEQUENCE_HELO);
    if (this.#envelope !== undefined) return this.#error(R.REPLY_BAD_SEQUENCE_NESTED_MAIL);
    // Extension parameters exist only in sessions opened with EHLO (RFC 5321 §4.1.1.1).
    const checked = checkMailParams(params, this.#config.extensions, this.#esmtp || !this.#config.requireHelo, this.#config.maxMessageSize);
    if (!checked.ok) return this.#error(checked.reply);
    if (path.utf8 && !params.has('SMTPUTF8')) return this.#error(R.REPLY_NON_ASCII_ADDRESS);
    return this.#ask({ hook: 'mail', path, params, dsn: checked.dsn });
  }

  #rcpt(path: MailPath, params: EsmtpParams): Step {
    const envelope = this.#envelope;
    if (envelope === undefined) return this.#error(R.REPLY_BAD_SEQUENCE_NEED_MAIL);
    if (envelope.recipients.length >= this.#config.maxRecipients) return refuseRecipient(envelope, R.REPLY_TOO_MANY_RECIPIENTS);
    const checked = checkRcptParams(params, this.#config.extensions, this.#esmtp || !this.#config.requireHelo);
    if (!checked.ok) return refuseRecipient(envelope, checked.reply);
    if (path.utf8 && !envelope.smtpUtf8) return refuseRecipient(envelope, R.REPLY_NON_ASCII_ADDRESS);
    return this.#ask({ hook: 'rcpt', path, params, dsn: checked.dsn });
  }

  #data(): Step {
    const envelope = this.#envelope;
    if (envelope === undefined) return this.#error(R.REPLY_BAD_SEQUENCE_NEED_MAIL);
    if (envelope.recipients.length === 0) {
      // RFC 2920 §3.1: after every RCPT failed, a pipelined DATA gets 554 (or 503), never 354.
      return envelope.refusedRecipients > 0 ? replyStep(R.REPLY_NO_VALID_RECIPIENTS) : this.#error(R.REPLY_BAD_SEQUENCE_NEED_RCPT);
    }
    if (envelope.chunks > 0) return this.#error(R.REPLY_DATA_AFTER_BDAT);
    if (isBinaryMime(envelope.mailParams)) return this.#error(R.REPLY_BINARYMIME_NEEDS_BDAT);
    return this.#ask({ hook: 'data-start', envelope });
  }

  #bdat(size: number, last: boolean): Step {
    const plan = (this.#chunk = planChunk(this.#envelope, size, last, this.#config.maxMessageSize));
    // The transaction's first chunk asks the policy's onDataStart, as DATA does.
    if (plan.refusal === undefined && this.#envelope?.chunks === 0) return this.#ask({ hook: 'data-start', envelope: this.#envelope });
    return chunkStep(plan);
  }

  #ask(call: HookCall): Step {
    this.#pending = call;
    return { kind: 'ask', call };
  }

  #error(r: Reply): Step {
    this.#errors++;
    if (this.#errors > this.#config.maxProtocolErrors) {
      this.#state = 'closed';
      return replyStep(R.REPLY_TOO_MANY_ERRORS);
    }
    return replyStep(r);
  }
}

function refuseRecipient(envelope: MutableEnvelope, r: Reply): Step {
  envelope.refusedRecipients++;
  return replyStep(r);
}
