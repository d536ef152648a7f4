import type { ProtocolClock } from '../../src/clock.js';
import type { CloseReason, SmtpEvent } from '../../src/events.js';
import type { LimitOverrides } from '../../src/limits.js';
import type { SessionPolicy } from '../../src/policy.js';
import type { SessionInfo } from '../../src/session-info.js';
import { createProtocolSession, type ProtocolSession } from '../../src/session/create-protocol-session.js';
import type { Extensions } from '../../src/session/extensions.js';
import { protocolSettings, type ProtocolConfig, type ProtocolSettings } from '../../src/session/protocol-settings.js';

/** Settings several harnesses share (one header budget, one reply encoder), as a server's sessions do. */
export interface SharedSettings {
  readonly settings: ProtocolSettings;
  /** Every event of every session built on these settings. */
  readonly events: SmtpEvent[];
}

export function sharedSettings(config: Omit<ProtocolConfig, 'hostname' | 'onEvent'> = {}): SharedSettings {
  const events: SmtpEvent[] = [];
  return { events, settings: protocolSettings({ hostname: 'mx.test', ...config, onEvent: (event) => events.push(event) }) };
}

export interface HarnessOptions {
  readonly policy?: SessionPolicy | PromiseLike<SessionPolicy>;
  readonly limits?: LimitOverrides;
  readonly extensions?: Partial<Extensions>;
  readonly requireHelo?: boolean;
  readonly clock?: ProtocolClock;
  /** Share these settings (then limits, extensions, requireHelo and clock come from them). */
  readonly shared?: SharedSettings;
  /** Make transport.write return false (peer not reading). */
  readonly writeBlocked?: () => boolean;
}

/** Drives a session built by createProtocolSession without a socket and records everything it does. */
export class ProtocolHarness {
  readonly protocol: ProtocolSession;
  readonly writes: Buffer[] = [];
  readonly #events: SmtpEvent[] = [];
  readonly #shared: SharedSettings | undefined;
  endReason: CloseReason | undefined;
  paused = false;

  constructor(options: HarnessOptions = {}) {
    const writeBlocked = options.writeBlocked;
    const policy = options.policy ?? {};
    this.#shared = options.shared;
    this.protocol = createProtocolSession({
      settings: options.shared?.settings ?? {
        hostname: 'mx.test',
        limits: options.limits,
        extensions: options.extensions,
        requireHelo: options.requireHelo,
        clock: options.clock,
        onEvent: (event) => this.#events.push(event),
      },
      policy: () => policy,
      id: 'test-1',
      remoteAddress: '192.0.2.1',
      remotePort: 40000,
      local: { localAddress: '127.0.0.1', localPort: 25 },
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
  }

  get session(): SessionInfo {
    return this.protocol.session;
  }

  /** This session's events (with shared settings, the others' are left out). */
  get events(): SmtpEvent[] {
    const shared = this.#shared;
    if (shared === undefined) return this.#events;
    return shared.events.filter((event) => event.session === this.protocol.session);
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

/** A clock moved by hand, for deadline tests (hook waits, idle, drain) that must not sleep. */
export class ManualClock implements ProtocolClock {
  #now = 0;
  #next = 1;
  readonly #pending = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.#now;
  }

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

  /**
   * Moves time on by `ms`, running every timer that falls due on the way in time order, at its
   * own time (a timer set by one that fires runs too if it falls due in the same stretch).
   */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#pending) if (entry[1].at <= until && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      this.#pending.delete(next[0]);
      this.#now = next[1].at;
      next[1].fn();
    }
    this.#now = until;
  }
}
