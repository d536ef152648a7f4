import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { CommandBytes } from './command-bytes.js';
import type { LoadOptions, Step } from './load-types.js';
import { ReplyReader } from './reply-reader.js';

/** What a session reports to, and asks of, the run that owns it. */
export interface SessionHost {
  readonly options: LoadOptions;
  readonly bytes: CommandBytes;
  /** Takes one transaction from the run's budget; false once the run is stopping. */
  claimTransaction(): boolean;
  transactionEnded(code: number, startedNs: bigint): void;
  latency(step: Step, sentNs: bigint): void;
  greeted(): void;
  problem(kind: string): void;
  sent(bytes: number): void;
  /** Whether this session's EHLO reply offered PIPELINING (and the run asked for it). */
  pipeliningOffered(offered: boolean): void;
  sessionClosed(session: ClientSession): void;
}

/**
 * One SMTP client connection. Every written command appends the Step whose reply it awaits
 * to a FIFO, so the same code drives lock-step and pipelined dialogues: each reply pops the
 * head, and the step decides what to write next.
 */
export class ClientSession {
  private socket: Socket;
  private secured = false;
  private readonly reader = new ReplyReader();
  private readonly steps: Step[] = ['CONNECT'];
  private readonly sentAt: bigint[];
  /** Start times of transactions written but not yet ended (two at most when pipelining). */
  private readonly txStarts: bigint[] = [];
  /** First failing reply of the head transaction (pipelining), 0 when none. */
  private txFailure = 0;
  private pipelining = false;
  private needsRset = false;
  private transactionsOnConnection = 0;
  private finished = false;

  constructor(private readonly host: SessionHost) {
    const { options } = host;
    this.sentAt = [process.hrtime.bigint()];
    this.socket = connect({ host: options.host, port: options.port, noDelay: true });
    this.listen(this.socket);
  }

  private listen(socket: Socket): void {
    const host = this.host;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!this.finished) host.problem(err.code ?? 'socket-error');
      this.finished = true;
    });
    socket.on('close', () => {
      if (socket !== this.socket) return;
      if (!this.finished) host.problem('closed-early');
      this.finished = true;
      host.sessionClosed(this);
    });
  }

  /** Time the oldest unanswered command was written, or null when nothing is awaited. */
  get waitingSince(): bigint | null {
    return this.steps.length === 0 ? null : (this.sentAt[0] ?? null);
  }

  /** Ends the session at once (timeout, or the run's hard deadline). */
  abort(reason: string): void {
    if (!this.finished) this.host.problem(reason);
    this.finished = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const codes = this.reader.push(chunk);
    for (let i = 0; i < codes.length && !this.finished; i++) this.onReply(codes[i]!);
  }

  private write(bytes: Buffer, ...steps: Step[]): void {
    const now = process.hrtime.bigint();
    for (const step of steps) {
      this.steps.push(step);
      this.sentAt.push(now);
    }
    this.host.sent(bytes.length);
    this.socket.write(bytes);
  }

  private onReply(code: number): void {
    const step = this.steps.shift();
    const sentNs = this.sentAt.shift();
    if (step === undefined || sentNs === undefined) {
      this.abort('unsolicited-reply');
      return;
    }
    this.host.latency(step, sentNs);
    if (code === 421 && step !== 'QUIT') {
      // 421 closes the transmission channel (RFC 5321 §3.8): end the transaction and leave.
      while (this.txStarts.length > 0) this.endTransaction(421);
      this.finish();
      return;
    }
    switch (step) {
      case 'CONNECT':
        if (code !== 220) return this.refuse(code);
        this.host.greeted();
        this.reader.capture = true;
        this.write(this.host.bytes.ehlo, 'EHLO');
        return;
      case 'EHLO':
        this.reader.capture = false;
        if (code !== 250) return this.refuse(code);
        if (this.host.options.tls === true && !this.secured) {
          this.write(this.host.bytes.starttls, 'STARTTLS');
          return;
        }
        this.pipelining = this.host.options.pipelining && /^250[- ]PIPELINING\b/im.test(this.reader.lastText);
        this.host.pipeliningOffered(this.pipelining);
        return this.nextTransaction();
      case 'STARTTLS':
        return code === 220 ? this.startTls() : this.refuse(code);
      case 'MAIL':
        return this.pipelining ? this.noteFailure(code, 250) : this.lockStep(code, 250, this.host.bytes.rcpt, 'RCPT');
      case 'RCPT':
        return this.pipelining ? this.noteFailure(code, 250) : this.lockStep(code, 250, this.host.bytes.data, 'DATA');
      case 'DATA':
        return this.afterData(code);
      case 'BODY':
        this.endTransaction(code);
        if (!this.pipelining) this.nextTransaction();
        return;
      case 'RSET':
        if (!this.pipelining) this.nextTransaction();
        return;
      case 'QUIT':
        return this.finish();
      case 'TXN':
        return;
    }
  }

  /** RFC 3207: the handshake on the same connection, then EHLO again. */
  private startTls(): void {
    const plain = this.socket;
    plain.removeAllListeners('data');
    const secure = tlsConnect({ socket: plain, rejectUnauthorized: false });
    this.socket = secure;
    this.secured = true;
    this.listen(secure);
    secure.once('secureConnect', () => {
      this.reader.capture = true;
      this.write(this.host.bytes.ehlo, 'EHLO');
    });
  }

  /** Lock-step: on the expected reply write the next command, otherwise end the transaction and RSET. */
  private lockStep(code: number, expected: number, next: Buffer, step: Step): void {
    if (code === expected) {
      this.write(next, step);
      return;
    }
    this.endTransaction(code);
    this.write(this.host.bytes.rset, 'RSET');
  }

  private noteFailure(code: number, expected: number): void {
    if (code !== expected && this.txFailure === 0) this.txFailure = code;
  }

  private afterData(code: number): void {
    const { bytes } = this.host;
    if (code !== 354) {
      this.endTransaction(this.txFailure !== 0 ? this.txFailure : code);
      if (this.pipelining) {
        this.needsRset = true;
        this.nextTransaction();
      } else {
        this.write(bytes.rset, 'RSET');
      }
      return;
    }
    if (!this.pipelining) {
      this.write(bytes.payload, 'BODY');
      return;
    }
    // RFC 2920: the message may open a group, so the next MAIL RCPT DATA (or QUIT) rides with it.
    if (this.claimNext()) {
      this.txStarts.push(process.hrtime.bigint());
      this.write(bytes.payloadGroup, 'BODY', 'MAIL', 'RCPT', 'DATA');
    } else {
      this.write(bytes.payloadQuit, 'BODY', 'QUIT');
    }
  }

  private claimNext(): boolean {
    if (!this.host.options.reuse && this.transactionsOnConnection > 0) return false;
    if (!this.host.claimTransaction()) return false;
    this.transactionsOnConnection += 1;
    return true;
  }

  private nextTransaction(): void {
    const { bytes } = this.host;
    if (!this.claimNext()) {
      this.write(bytes.quit, 'QUIT');
      return;
    }
    this.txStarts.push(process.hrtime.bigint());
    if (!this.pipelining) {
      this.write(bytes.mail, 'MAIL');
    } else if (this.needsRset) {
      this.needsRset = false;
      this.write(bytes.rsetGroup, 'RSET', 'MAIL', 'RCPT', 'DATA');
    } else {
      this.write(bytes.group, 'MAIL', 'RCPT', 'DATA');
    }
  }

  private endTransaction(code: number): void {
    const started = this.txStarts.shift();
    this.txFailure = 0;
    if (started !== undefined) this.host.transactionEnded(code, started);
  }

  private refuse(code: number): void {
    this.host.problem(`code:${code}`);
    this.finish();
  }

  /** Normal end: half-close and let 'close' report the session gone. */
  private finish(): void {
    this.finished = true;
    this.steps.length = 0;
    this.sentAt.length = 0;
    this.socket.end();
  }
}
