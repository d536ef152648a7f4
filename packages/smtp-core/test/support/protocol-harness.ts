import type { CloseReason, SmtpEvent } from '../../src/events.js';
import { resolveLimits, type LimitOverrides } from '../../src/limits.js';
import type { SessionPolicy } from '../../src/policy.js';
import { MutableSessionInfo } from '../../src/session-info.js';
import { DEFAULT_EXTENSIONS, type Extensions } from '../../src/session/extensions.js';
import { SmtpProtocol, type ProtocolTimers } from '../../src/session/smtp-protocol.js';
import type { HeaderBudget } from '../../src/wire/header-budget.js';
import { ReplyEncoder } from '../../src/wire/reply-format.js';

export interface HarnessOptions {
  readonly policy?: SessionPolicy | PromiseLike<SessionPolicy>;
  readonly limits?: LimitOverrides;
  readonly extensions?: Partial<Extensions>;
  readonly requireHelo?: boolean;
  readonly timers?: ProtocolTimers;
  readonly headerBudget?: HeaderBudget;
  /** Make transport.write return false (peer not reading). */
  readonly writeBlocked?: () => boolean;
}

/** Drives an SmtpProtocol without a socket and records everything it does. */
export class ProtocolHarness {
  readonly protocol: SmtpProtocol;
  readonly session = new MutableSessionInfo('test-1', '192.0.2.1', 40000, { address: '127.0.0.1', port: 25 });
  readonly events: SmtpEvent[] = [];
  readonly writes: Buffer[] = [];
  endReason: CloseReason | undefined;
  paused = false;

  constructor(options: HarnessOptions = {}) {
    const limits = resolveLimits(options.limits);
    const extensions = { ...DEFAULT_EXTENSIONS, ...options.extensions };
    const writeBlocked = options.writeBlocked;
    this.protocol = new SmtpProtocol({
      machine: {
        hostname: 'mx.test',
        extensions,
        maxMessageSize: limits.maxMessageSize,
        maxRecipients: limits.maxRecipients,
        maxProtocolErrors: limits.maxProtocolErrors,
        requireHelo: options.requireHelo ?? true,
      },
      limits,
      encoder: new ReplyEncoder(extensions.enhancedStatusCodes),
      session: this.session,
      emit: (event) => this.events.push(event),
      timers: options.timers,
      headerBudget: options.headerBudget,
      transport: {
        write: (bytes) => {
          if (this.endReason !== undefined) throw new Error('write after end');
          this.writes.push(Buffer.from(bytes));
          return writeBlocked === undefined ? true : !writeBlocked();
        },
        end: (reason) => {
          if (this.endReason !== undefined) throw new Error('end called twice');
          this.endReason = reason;
        },
        pauseReading: (paused) => {
          this.paused = paused;
        },
      },
    });
    this.protocol.start(options.policy ?? {});
  }

  send(...chunks: (string | Buffer)[]): this {
    for (const chunk of chunks) this.protocol.receive(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    return this;
  }

  /** Everything written so far, as text. */
  get output(): string {
    return Buffer.concat(this.writes).toString('latin1');
  }

  /** The reply lines written so far (CRLF removed). */
  get lines(): string[] {
    return this.output.split('\r\n').filter((line) => line !== '');
  }

  /** The final line of each reply: `250 2.0.0 OK`. */
  get replies(): string[] {
    return this.lines.filter((line) => line[3] === ' ' || line.length === 3);
  }

  /** Reply codes, in order. */
  get codes(): number[] {
    return this.replies.map((line) => Number(line.slice(0, 3)));
  }
}

/** A session fed with the whole input at once through a fresh harness: its full output. */
export function transcript(input: string | Buffer | readonly Buffer[], options: HarnessOptions = {}): string {
  const harness = new ProtocolHarness(options);
  const chunks = typeof input === 'string' ? [Buffer.from(input, 'latin1')] : Buffer.isBuffer(input) ? [input] : input;
  for (const chunk of chunks) harness.protocol.receive(chunk);
  harness.protocol.endOfInput();
  return harness.output;
}

/** Manually advanced timers for hook-timeout tests. */
export class ManualTimers implements ProtocolTimers {
  #now = 0;
  #next = 1;
  readonly #pending = new Map<number, { at: number; fn: () => void }>();

  set(fn: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#pending.set(id, { at: this.#now + ms, fn });
    return id;
  }

  clear(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  advance(ms: number): void {
    this.#now += ms;
    for (const [id, timer] of [...this.#pending]) {
      if (timer.at <= this.#now) {
        this.#pending.delete(id);
        timer.fn();
      }
    }
  }
}
