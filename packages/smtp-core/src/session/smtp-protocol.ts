import type { CloseReason, EventSink } from '../events.js';
import type { Decision, ReceivedMessage, SessionPolicy } from '../policy.js';
import { parseCommand } from '../protocol/command.js';
import { isPositive, type Reply } from '../protocol/replies.js';
import { REPLY_SHUTTING_DOWN, REPLY_TIMEOUT } from '../protocol/stock-replies.js';
import type { MutableSessionInfo } from '../session-info.js';
import { LINE_TOO_LONG, LineFramer, type FramedLine } from '../wire/line-framer.js';
import type { ReplyEncoder } from '../wire/reply-format.js';
import type { HeaderBudget } from '../wire/header-budget.js';
import { DataPhase } from './data-phase.js';
import { checkDecision, failureReply, invokeHook, isThenable, REPLY_GREETING_FAILED } from './policy-call.js';
import { REAL_TIMERS, type ProtocolLimits, type ProtocolTimers, type ProtocolTransport, type SmtpProtocolOptions } from './protocol-types.js';
import { SessionMachine, type After, type HookCall, type HookName, type Step } from './session-machine.js';

export type { ProtocolLimits, ProtocolTimers, ProtocolTransport, SmtpProtocolOptions } from './protocol-types.js';

type Blocker = 'factory' | 'hook' | 'data-chunk';
const PENDING: unique symbol = Symbol('PENDING');

/**
 * One SMTP session without a socket: bytes in through {@link receive}, replies out through the
 * transport. It frames commands, runs the {@link SessionMachine}, calls the policy (awaiting it
 * only when a hook returns a promise), decodes DATA and applies backpressure: it stops reading
 * while a hook is pending or the peer is not reading its replies. Replies produced from one
 * input chunk are written together (RFC 2920 §3.1).
 */
export class SmtpProtocol {
  readonly #machine: SessionMachine;
  readonly #framer: LineFramer;
  readonly #limits: ProtocolLimits;
  readonly #encoder: ReplyEncoder;
  readonly #session: MutableSessionInfo;
  readonly #transport: ProtocolTransport;
  readonly #emit: EventSink | undefined;
  readonly #trace: boolean;
  readonly #timers: ProtocolTimers;
  #policy: SessionPolicy = {};
  #queue: Buffer[] = [];
  readonly #out: Buffer[] = [];
  #outBytes = 0;
  #blockedOn: Blocker | undefined;
  #writeBlocked = false;
  #readingPaused = false;
  readonly #headerBudget: HeaderBudget | undefined;
  #data: DataPhase | undefined;
  /** The finished message, held (with its header bytes) until the end-of-data hook settles. */
  #finished: DataPhase | undefined;
  #message: ReceivedMessage | undefined;
  #dataEnded = false;
  #dataFailed = false;
  #inputEnded = false;
  #shutdownRequested = false;
  #closed = false;
  #destroyed = false;
  #closeReason: CloseReason | undefined;
  #waitToken = 0;
  #waitTimer: unknown;

  constructor(options: SmtpProtocolOptions) {
    this.#machine = new SessionMachine(options.machine);
    this.#framer = new LineFramer({ maxLineLength: options.limits.maxLineLength });
    this.#limits = options.limits;
    this.#encoder = options.encoder;
    this.#session = options.session;
    this.#transport = options.transport;
    this.#emit = options.emit;
    this.#trace = options.traceCommands === true && options.emit !== undefined;
    this.#timers = options.timers ?? REAL_TIMERS;
    this.#headerBudget = options.headerBudget;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** True while nothing is in flight: no hook pending, not inside DATA. */
  get idle(): boolean {
    return this.#blockedOn === undefined && this.#data === undefined;
  }

  get machineState(): SessionMachine['state'] {
    return this.#machine.state;
  }

  /** Starts the session with the connection's policy (or the factory's promise of one). */
  start(policy: SessionPolicy | PromiseLike<SessionPolicy>): void {
    if (!isThenable(policy)) {
      this.#policy = policy;
      if (this.#run(this.#machine.start())) this.#pump();
      return;
    }
    // If the connection goes away before the factory settles, the policy still hears of it.
    policy.then(
      (value) => {
        if (this.#destroyed && this.#closeReason !== undefined && this.#policy !== value) this.#notifyClose(value as SessionPolicy, this.#closeReason);
      },
      () => undefined,
    );
    this.#wait('factory', policy, (value) => {
      if (typeof value !== 'object' || value === null) {
        this.#report('factory', new TypeError('the policy factory did not return an object'));
        this.#failStart();
        return;
      }
      this.#policy = value as SessionPolicy;
      if (this.#run(this.#machine.start())) this.#pump();
    }, () => this.#failStart(), 'factory');
  }

  /** Bytes from the peer. */
  receive(chunk: Buffer): void {
    this.#session.bytesIn += chunk.length;
    if (this.#closed) return;
    this.#queue.push(chunk);
    if (this.#blockedOn === undefined && !this.#writeBlocked) this.#pump();
  }

  /** The peer half-closed its side. */
  endOfInput(): void {
    this.#inputEnded = true;
    if (!this.#closed && this.#blockedOn === undefined && !this.#writeBlocked) this.#pump();
  }

  /** The transport can take more bytes again. */
  writable(): void {
    if (!this.#writeBlocked) return;
    this.#writeBlocked = false;
    if (!this.#closed && this.#blockedOn === undefined) this.#pump();
  }

  /** Idle timer fired. Ignored while a hook is pending (the hook has its own timeout). */
  timeout(): void {
    if (this.#closed || this.#blockedOn !== undefined) return;
    this.#emit?.({ type: 'limit', session: this.#session, limit: 'idleTimeoutMs', value: 0 });
    this.#queueReply(REPLY_TIMEOUT);
    this.#finish('idle-timeout');
  }

  /**
   * The server is stopping: a session waiting for a command gets 421 at once; one inside DATA
   * or waiting for a hook finishes that first, gets its reply, then 421.
   */
  shutdown(): void {
    this.#shutdownRequested = true;
    if (this.#closed || !this.idle) return;
    this.#queueReply(REPLY_SHUTTING_DOWN);
    this.#finish('shutdown');
  }

  /** The connection is gone. Pending hooks are abandoned and onClose runs once. */
  destroyed(reason: CloseReason): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#closed = true;
    this.#waitToken++;
    if (this.#waitTimer !== undefined) this.#timers.clear(this.#waitTimer);
    this.#machine.close();
    this.#queue = [];
    this.#data?.releaseHeaders();
    this.#data = undefined;
    this.#releaseMessage();
    this.#closeReason = reason;
    this.#notifyClose(this.#policy, reason);
  }

  #releaseMessage(): void {
    this.#finished?.releaseHeaders();
    this.#finished = undefined;
    this.#message = undefined;
  }

  #notifyClose(policy: SessionPolicy, reason: CloseReason): void {
    if (typeof policy !== 'object' || policy === null) return;
    try {
      policy.onClose?.(this.#session, reason);
    } catch (error) {
      this.#report('close', error);
    }
  }

  #pump(): void {
    while (!this.#closed && this.#blockedOn === undefined && !this.#writeBlocked) {
      if (this.#data !== undefined) {
        const chunk = this.#queue.shift();
        if (chunk === undefined) break;
        this.#feedData(chunk);
        continue;
      }
      const line = this.#framer.next();
      if (line === null) {
        const chunk = this.#queue.shift();
        if (chunk === undefined) break;
        this.#framer.push(chunk);
        continue;
      }
      this.#handleLine(line);
    }
    if (this.#closed) return;
    this.#flush();
    const blocked = this.#blockedOn !== undefined || this.#writeBlocked;
    this.#setPaused(blocked);
    if (!blocked && this.#inputEnded && this.#queue.length === 0) this.#finish('peer-closed');
  }

  #handleLine(line: FramedLine): void {
    if (line === LINE_TOO_LONG) {
      this.#emit?.({ type: 'limit', session: this.#session, limit: 'maxLineLength', value: this.#limits.maxLineLength });
      this.#run(this.#machine.lineTooLong());
      return;
    }
    const command = parseCommand(line);
    if (this.#trace) this.#emit?.({ type: 'command', session: this.#session, verb: command.verb === 'INVALID' ? command.name : command.verb });
    this.#run(this.#machine.receive(command));
  }

  /** Applies steps until a reply is queued (true) or a hook is pending (false). */
  #run(step: Step): boolean {
    for (;;) {
      if (step.kind === 'reply') {
        this.#sendReply(step.reply, step.after);
        return true;
      }
      const decision = this.#callHook(step.call);
      if (decision === PENDING) return false;
      step = this.#settle(step.call, decision);
    }
  }

  #settle(call: HookCall, decision: Decision): Step {
    if (call.hook === 'data-end') {
      if (decision === undefined || isPositive(decision)) this.#session.messagesAccepted++;
      this.#releaseMessage();
    }
    return this.#machine.settle(decision);
  }

  #sendReply(r: Reply, after: After): void {
    this.#queueReply(r);
    const machine = this.#machine;
    this.#session.helo = machine.helo;
    this.#session.esmtp = machine.esmtp;
    this.#session.envelope = machine.envelope;
    switch (after) {
      case 'data':
        this.#enterData();
        return;
      case 'quit':
        this.#finish('quit');
        return;
      case 'close':
        this.#finish('reply-421');
        return;
      case 'continue':
        if (this.#shutdownRequested && this.idle) {
          this.#queueReply(REPLY_SHUTTING_DOWN);
          this.#finish('shutdown');
        }
    }
  }

  #callHook(call: HookCall): Decision | typeof PENDING {
    let result: unknown;
    try {
      if (call.hook === 'data-end' && this.#dataFailed) return failureReply(call.hook);
      result = invokeHook(this.#policy, call, this.#session, this.#message);
    } catch (error) {
      this.#report(call.hook, error);
      return failureReply(call.hook);
    }
    if (result === undefined || result === null) return undefined;
    if (!isThenable(result)) return this.#validate(call.hook, result);
    this.#wait('hook', result, (value) => this.#resume(this.#validate(call.hook, value)), () => this.#resume(failureReply(call.hook)), call.hook);
    return PENDING;
  }

  #validate(hook: HookName, value: unknown): Decision {
    const checked = checkDecision(hook, value);
    if ('decision' in checked) return checked.decision;
    this.#report(hook, new TypeError(checked.problem));
    return failureReply(hook);
  }

  #resume(decision: Decision): void {
    const call = this.#machine.pending;
    if (this.#destroyed || call === undefined) return;
    if (this.#run(this.#settle(call, decision))) this.#pump();
  }

  /** Waits for a hook's promise: see {@link #block}. */
  #wait(
    blocker: Blocker,
    promise: PromiseLike<unknown>,
    onValue: (value: unknown) => void,
    onFailure: () => void,
    hook: HookName | 'factory',
  ): void {
    const token = this.#block(blocker, hook, onFailure);
    promise.then(
      (value) => {
        if (this.#unblock(token)) onValue(value);
      },
      (error: unknown) => {
        if (!this.#unblock(token)) return;
        this.#report(hook, error);
        onFailure();
      },
    );
  }

  /**
   * Blocks the session: input is paused, replies so far are flushed, and the wait is bounded
   * by hookTimeoutMs (then `onTimeout`, after a hook-timeout event). Returns the wait's token.
   */
  #block(blocker: Blocker, hook: HookName | 'factory' | 'data-chunk', onTimeout: () => void): number {
    this.#blockedOn = blocker;
    const token = ++this.#waitToken;
    this.#waitTimer = this.#timers.set(() => {
      if (!this.#unblock(token)) return;
      this.#emit?.({ type: 'hook-timeout', session: this.#session, hook, timeoutMs: this.#limits.hookTimeoutMs });
      onTimeout();
    }, this.#limits.hookTimeoutMs);
    if (!this.#closed) {
      this.#flush();
      this.#setPaused(true);
    }
    return token;
  }

  /** Ends the wait `token` if it is still the current one; false for a late or abandoned one. */
  #unblock(token: number): boolean {
    if (token !== this.#waitToken || this.#destroyed) return false;
    this.#waitToken++;
    this.#timers.clear(this.#waitTimer);
    this.#waitTimer = undefined;
    this.#blockedOn = undefined;
    return true;
  }

  #failStart(): void {
    this.#queueReply(REPLY_GREETING_FAILED);
    this.#finish('reply-421');
  }

  #enterData(): void {
    const policy = this.#policy;
    const onChunk = policy.onDataChunk;
    this.#dataEnded = false;
    this.#dataFailed = false;
    this.#data = new DataPhase({
      maxBytes: this.#limits.maxMessageSize,
      captureHeaderBytes: policy.captureHeaders === true ? this.#limits.maxHeaderBytes : undefined,
      headerBudget: this.#headerBudget,
      onChunk: onChunk === undefined ? undefined : (chunk) => onChunk.call(policy, chunk, this.#session),
      onChunkError: (error) => this.#report('data-chunk', error),
      onSettled: () => {
        if (this.#blockedOn === 'data-chunk' && this.#unblock(this.#waitToken)) this.#continueData();
      },
    });
    const rest = this.#framer.takeRest();
    if (rest !== null) this.#queue.unshift(rest);
  }

  #feedData(chunk: Buffer): void {
    const data = this.#data as DataPhase;
    const end = data.push(chunk);
    if (end !== -1 && end < chunk.length) this.#queue.unshift(chunk.subarray(end));
    this.#dataEnded = end !== -1;
    if (data.waiting) this.#blockOnData(data);
    else if (this.#dataEnded) this.#dataDone();
  }

  /** The body hook returned promises: stop reading until they settle, at most hookTimeoutMs. */
  #blockOnData(data: DataPhase): void {
    this.#block('data-chunk', 'data-chunk', () => {
      data.abandon();
      this.#continueData();
    });
  }

  #continueData(): void {
    if (this.#dataEnded) this.#dataDone();
    this.#pump();
  }

  #dataDone(): void {
    const data = this.#data as DataPhase;
    this.#data = undefined;
    this.#dataEnded = false;
    this.#dataFailed = data.failed;
    if (data.overflowed) {
      this.#emit?.({ type: 'limit', session: this.#session, limit: 'maxMessageSize', value: this.#limits.maxMessageSize });
    }
    if (data.headersStarved) {
      this.#emit?.({ type: 'limit', session: this.#session, limit: 'maxHeaderBytesTotal', value: this.#headerBudget?.available ?? 0 });
    }
    const message = data.message();
    this.#message = message;
    this.#finished = data;
    // An oversized message is answered 552 without asking the policy: nothing holds its headers.
    if (data.overflowed) this.#releaseMessage();
    this.#run(this.#machine.dataReceived(message.size, data.overflowed));
  }

  #queueReply(r: Reply): void {
    const bytes = this.#encoder.encode(r);
    this.#out.push(bytes);
    this.#outBytes += bytes.length;
    this.#session.countReply(r.code);
    if (this.#trace) this.#emit?.({ type: 'reply', session: this.#session, code: r.code, enhanced: r.enhanced });
    if (this.#outBytes >= this.#limits.maxOutputBufferBytes) this.#flush();
  }

  #flush(): void {
    if (this.#outBytes === 0) return;
    const out = this.#out;
    const data = out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out, this.#outBytes);
    out.length = 0;
    this.#outBytes = 0;
    this.#session.bytesOut += data.length;
    if (!this.#transport.write(data)) this.#writeBlocked = true;
  }

  #setPaused(paused: boolean): void {
    if (paused === this.#readingPaused) return;
    this.#readingPaused = paused;
    this.#transport.pauseReading(paused);
  }

  #finish(reason: CloseReason): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#machine.close();
    this.#flush();
    this.#queue = [];
    this.#data?.releaseHeaders();
    this.#data = undefined;
    this.#transport.end(reason);
  }

  #report(hook: HookName | 'factory' | 'data-chunk' | 'close', error: unknown): void {
    this.#emit?.({ type: 'hook-error', session: this.#session, hook, error });
  }
}
