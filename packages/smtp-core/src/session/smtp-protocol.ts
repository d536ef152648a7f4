import type { CloseReason } from '../events.js';
import { isPolicyAction, type PolicyAction } from '../policy-action.js';
import type { Decision, SessionPolicy } from '../policy.js';
import { isPositive, type Reply } from '../protocol/replies.js';
import { REPLY_SHUTTING_DOWN, REPLY_TIMEOUT } from '../protocol/stock-replies.js';
import type { MutableSessionInfo } from '../session-info.js';
import { mirrorMachine, sessionExtensions, stepForLine } from './line-step.js';
import { StartTlsState } from './starttls-state.js';
import { ActionRunner } from './action-runner.js';
import { DataTransfer, type DataOwner } from './data-transfer.js';
import { InputQueue } from './input-queue.js';
import { HookWait, type WaitOwner, type WaitSubject } from './hook-wait.js';
import { OutputBuffer } from './output-buffer.js';
import { askPolicy, checkedDecision, failureReply, isThenable, notifyClose, REPLY_GREETING_FAILED } from './policy-call.js';
import type { ProtocolSettings } from './protocol-settings.js';
import type { ProtocolTransport } from './protocol-types.js';
import { afterInputEnd, afterStopRequest, isEnded, isInputEnded, isStopping, type SessionPhase } from './session-phase.js';
import { SessionMachine, type After, type HookCall, type Step } from './session-machine.js';

const PENDING: unique symbol = Symbol('PENDING');
/** The policy until the factory has given one. */
const NO_POLICY: SessionPolicy = Object.freeze({});

/**
 * One SMTP session without a socket (see `ProtocolSession`; built by `createProtocolSession`).
 * It runs the {@link SessionMachine} on the input's lines, asks the policy (awaiting it only
 * when a hook returns a promise), hands DATA to its {@link DataTransfer}, and stops reading
 * while it waits for a hook or for the peer to read its replies.
 */
export class SmtpProtocol implements WaitOwner, DataOwner {
  readonly session: MutableSessionInfo;
  readonly #settings: ProtocolSettings;
  readonly #machine: SessionMachine;
  readonly #input: InputQueue;
  readonly #transport: ProtocolTransport;
  readonly #output: OutputBuffer;
  /** Each made when first needed (a hook that goes async, DATA or BDAT, an action, STARTTLS): an idle session pays for none. */
  #wait: HookWait | undefined;
  #data: DataTransfer | undefined;
  #actions: ActionRunner | undefined;
  #starttls: StartTlsState | undefined;
  #policy: SessionPolicy = NO_POLICY;
  #phase: SessionPhase = 'open';
  #closeReason: CloseReason | undefined;

  constructor(settings: ProtocolSettings, session: MutableSessionInfo, transport: ProtocolTransport) {
    this.session = session;
    this.#settings = settings;
    this.#transport = transport;
    this.#machine = new SessionMachine(settings.machine);
    this.#input = new InputQueue(settings.limits.maxLineLength, transport);
    this.#output = new OutputBuffer(settings, session, transport);
  }

  /** True once the session has ended its side (or the connection is gone). */
  get closed(): boolean { return isEnded(this.#phase); }

  /** True while nothing is in flight: no hook pending, not inside DATA or a TLS handshake, no delay or trickle running. */
  get idle(): boolean {
    return this.#wait?.subject === undefined && this.#data?.receiving !== true && this.#actions?.busy !== true && !this.#handshaking;
  }

  /** Starts the session with the connection's policy (or the factory's promise of one). */
  start(policy: SessionPolicy | PromiseLike<SessionPolicy>): void {
    if (!isThenable(policy)) {
      this.#begin(policy);
      return;
    }
    // If the connection goes away before the factory settles, the policy still hears of it.
    policy.then((value) => this.#phase === 'destroyed' && this.#policy !== value && notifyClose(value, this.session, this.#closeReason ?? 'destroyed', this.#settings.emit), () => undefined);
    this.#block('factory', policy);
  }

  /** Bytes from the peer; `chunk` is never referenced once this returns (see ProtocolSession.receive). */
  receive(chunk: Buffer): void {
    this.session.bytesIn += chunk.length;
    if (isEnded(this.#phase)) return;
    this.#input.push(chunk);
    if (this.#reading) this.#pump();
    this.#input.release(chunk);
  }

  /** The peer half-closed its side. */
  endOfInput(): void {
    this.#phase = afterInputEnd(this.#phase);
    if (!isEnded(this.#phase) && this.#reading) this.#pump();
  }

  /** The transport can take more bytes again. */
  writable(): void {
    if (!this.#output.drained()) return;
    if (!isEnded(this.#phase) && this.#wait?.subject === undefined && this.#actions?.holding !== true && !this.#handshaking) this.#pump();
  }

  /** Idle timer fired. Ignored while a hook or an action's delay or trickle runs; a hang ends here. */
  timeout(): void {
    if (isEnded(this.#phase) || this.#wait?.subject !== undefined || this.#actions?.busy === true || this.#handshaking) return;
    this.#settings.emit?.({ type: 'limit', session: this.session, limit: 'idleTimeoutMs', value: 0 });
    this.#output.queue(REPLY_TIMEOUT);
    this.#finish('idle-timeout');
  }

  /**
   * The server is stopping: a session waiting for a command gets 421 at once; one inside DATA
   * or waiting for a hook finishes that first, gets its reply, then 421.
   */
  shutdown(): void {
    this.#phase = afterStopRequest(this.#phase);
    if (isEnded(this.#phase) || !this.idle) return;
    this.#output.queue(REPLY_SHUTTING_DOWN);
    this.#finish('shutdown');
  }

  /** The connection is gone. Pending hooks are abandoned and onClose runs once. */
  destroyed(reason: CloseReason): void {
    if (this.#phase === 'destroyed') return;
    this.#phase = 'destroyed';
    this.#wait?.abandon();
    this.#actions?.cancel();
    this.#machine.close();
    this.#input.clear();
    this.#data?.releaseAll();
    this.#closeReason = reason;
    notifyClose(this.#policy, this.session, reason, this.#settings.emit);
  }

  // WaitOwner: how the factory's, a hook's or the body hook's wait ended.
  waitSettled(subject: WaitSubject, value: unknown): void {
    if (subject !== 'factory') {
      if (subject === 'starttls' && this.#starttls?.noteAbort(value) === true) this.#resume(undefined);
      else if (subject !== 'data-chunk') this.#resume(checkedDecision(subject, value, this.session, this.#settings.emit));
    } else if (typeof value === 'object' && value !== null) {
      this.#begin(value as SessionPolicy);
    } else {
      this.#settings.emit?.({ type: 'hook-error', session: this.session, hook: 'factory', error: new TypeError('the policy factory did not return an object') });
      this.#failStart();
    }
  }

  waitRejected(subject: WaitSubject, error: unknown): void {
    this.#settings.emit?.({ type: 'hook-error', session: this.session, hook: subject, error });
    if (subject !== 'data-chunk') this.#waitFailed(subject);
  }

  waitTimedOut(subject: WaitSubject): void {
    this.#settings.emit?.({ type: 'hook-timeout', session: this.session, hook: subject, timeoutMs: this.#settings.limits.hookTimeoutMs });
    if (subject === 'data-chunk') this.#data?.bodyHookTimedOut();
    else this.#waitFailed(subject);
  }

  // DataOwner
  blockOnBodyHook(): void { this.#block('data-chunk'); }
  messageReceived(size: number, overflowed: boolean): void { this.#run(this.#machine.dataReceived(size, overflowed)); }
  chunkReceived(): void { this.#run(this.#machine.chunkReceived()); }
  readOn(): void { this.#pump(); }
  endBodyHookWait(): boolean { return this.#wait?.endCurrent('data-chunk') === true; }

  get #transfer(): DataTransfer { return (this.#data ??= new DataTransfer(this.#settings, this.session, this)); }
  get #handshaking(): boolean { return this.#starttls?.handshaking === true; }

  #begin(policy: SessionPolicy): void {
    this.#policy = policy;
    if (this.#run(this.#machine.start())) this.#pump();
  }

  #waitFailed(subject: Exclude<WaitSubject, 'data-chunk'>): void {
    if (subject === 'factory') this.#failStart();
    else this.#resume(failureReply(subject));
  }

  get #reading(): boolean { return this.#wait?.subject === undefined && !this.#output.blocked && this.#actions?.holding !== true && !this.#handshaking; }

  #pump(): void {
    const input = this.#input;
    while (!isEnded(this.#phase) && this.#reading) {
      const data = this.#data;
      if (data?.receiving === true) {
        const chunk = input.nextChunk();
        if (chunk === undefined) break;
        data.feed(chunk, input);
      } else {
        const line = input.nextLine();
        if (line === null) break;
        this.#run(stepForLine(line, this.#machine, this.#settings, this.session));
      }
    }
    if (isEnded(this.#phase)) return;
    this.#output.flush();
    const blocked = !this.#reading;
    this.#input.pause(blocked);
    if (!blocked && isInputEnded(this.#phase) && input.empty) this.#finish('peer-closed');
  }

  /** Applies steps until a reply is queued (true) or a hook is pending (false). */
  #run(step: Step): boolean {
    for (;;) {
      if (step.kind === 'reply') {
        this.#sendReply(step.reply, step.after);
        return true;
      }
      if (step.kind === 'chunk') return this.#readChunk(step);
      const decision = this.#callHook(step.call);
      if (decision === PENDING) return false;
      if (isPolicyAction(decision)) return this.#act(step.call, decision);
      step = this.#settle(step.call, decision);
    }
  }

  /** After `BDAT n`: the next n octets are the chunk, read before the machine answers (RFC 3030 §2). */
  #readChunk(step: Extract<Step, { kind: 'chunk' }>): boolean {
    const { emit, limits } = this.#settings;
    if (step.overflow) emit?.({ type: 'limit', session: this.session, limit: 'maxMessageSize', value: limits.maxMessageSize });
    this.#input.switchToData();
    this.#transfer.beginChunk(this.#policy, step.size, step.accept, step.last);
    return true;
  }

  /** A plain action is its reply; any other holds the session until it is due (false: nothing sent yet). */
  #act(call: HookCall, action: PolicyAction): boolean {
    if (action.delayMs === 0 && action.trickleMs === 0 && action.close === undefined) return this.#run(this.#settle(call, action.reply ?? undefined));
    this.#actions ??= new ActionRunner(this.#settings.clock, this.#output, {
      settle: (c, r) => this.#settle(c, r),
      send: (r, after, sent) => this.#sendReply(r, after, sent),
      pump: () => this.#pump(),
      run: (step) => this.#run(step),
      close: (how) => this.#finish(how === 'rst' && this.#transport.reset !== undefined ? 'policy-reset' : 'policy-close'),
    });
    this.#input.pause(true);
    this.#actions.begin(call, action);
    return false;
  }

  #settle(call: HookCall, decision: Reply | undefined): Step {
    if (call.hook === 'data-end' && (decision === undefined || isPositive(decision))) this.session.messagesAccepted++;
    // LMTP: the message stays until the last recipient's reply is decided (RFC 2033 §4.2).
    if (call.hook === 'data-end' ? this.#settings.machine.lmtp !== true || call.envelope.recipients.length === 0 : call.hook === 'data-end-rcpt' && call.last) this.#data?.releaseMessage();
    return this.#machine.settle(decision);
  }

  #sendReply(r: Reply, after: After, sent = false): void {
    if (!sent) this.#output.queue(r);
    mirrorMachine(this.session, this.#machine);
    if (this.#machine.envelope === undefined) this.#data?.endChunking();
    // After the 220 the transport runs the handshake; then the session starts again (RFC 3207 §4.2).
    if (after === 'starttls') (this.#starttls ??= new StartTlsState()).begin(this.#transport, this.#input, this.#output, this.#machine, this.session, () => this.#phase !== 'destroyed' && this.#pump());
    else if (after === 'next-recipient') this.#run(this.#machine.nextRecipient());
    else if (after === 'quit' || after === 'close') this.#finish(after === 'quit' ? 'quit' : 'reply-421');
    else if (after === 'data') {
      this.#transfer.begin(this.#policy);
      this.#input.switchToData();
    } else if (isStopping(this.#phase) && this.idle) {
      this.#output.queue(REPLY_SHUTTING_DOWN);
      this.#finish('shutdown');
    }
  }

  #callHook(call: HookCall): Decision | typeof PENDING {
    // A message whose body hook failed is answered 451 without asking the end-of-data hook.
    if ((call.hook === 'data-end' || call.hook === 'data-end-rcpt') && this.#data?.failed === true) return failureReply(call.hook);
    if (call.hook === 'helo' && call.esmtp && this.#policy.extensionsFor !== undefined) sessionExtensions(this.#policy, this.#machine, this.#settings, this.session);
    const policy = call.hook === 'starttls' ? (this.#starttls ??= new StartTlsState()).policyFor(this.#policy, this.#transport) : this.#policy;
    const answer = askPolicy(policy, call, this.session, this.#data?.message, this.#settings.emit);
    if (!isThenable(answer)) return answer;
    this.#block(call.hook, answer);
    return PENDING;
  }

  #resume(decision: Decision): void {
    const call = this.#machine.pending;
    if (this.#phase === 'destroyed' || call === undefined) return;
    if (isPolicyAction(decision) ? this.#act(call, decision) : this.#run(this.#settle(call, decision))) this.#pump();
  }

  /** Waits (for `promise`, if given), at most hookTimeoutMs: replies so far are flushed, input is paused. */
  #block(subject: WaitSubject, promise?: PromiseLike<unknown>): void {
    const wait = (this.#wait ??= new HookWait(this, this.#settings));
    if (promise === undefined) wait.begin(subject);
    else wait.race(subject, promise);
    if (isEnded(this.#phase)) return;
    this.#output.flush();
    this.#input.pause(true);
  }

  #failStart(): void {
    this.#output.queue(REPLY_GREETING_FAILED);
    this.#finish('reply-421');
  }

  #finish(reason: CloseReason): void {
    if (isEnded(this.#phase)) return;
    this.#phase = 'ended';
    this.#actions?.cancel();
    this.#machine.close();
    this.#output.flush();
    this.#input.clear();
    this.#data?.releaseAll();
    if (reason === 'policy-reset') this.#transport.reset?.(reason);
    else this.#transport.end(reason);
  }
}
