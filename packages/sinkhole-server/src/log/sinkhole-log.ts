import { acceptedLine } from './accepted-line.js';
import { connectionLine } from './connection-line.js';
import { logLine } from './json-line.js';
import { levelEnabled, type LogLevel } from './log-level.js';
import { RecordQueue } from './record-queue.js';
import type { SinkholeEvent, SinkholeLogRecord } from './sinkhole-events.js';

/** The two lines written per message or per connection have formatters of their own. */
function formatLine(time: string, level: LogLevel, event: SinkholeEvent): string {
  switch (event.msg) {
    case 'accepted':
      return acceptedLine(time, level, event);
    case 'connection':
      return connectionLine(time, level, event);
    default:
      return logLine(time, level, event);
  }
}

/** Where JSON lines go: one call per line, newline included. */
export type LineSink = (line: string) => void;

export interface SinkholeLogOptions {
  readonly sink?: LineSink | undefined;
  /** Lines below this level are not written (subscribers still get them). Default info. */
  readonly level?: LogLevel | undefined;
  readonly now?: (() => number) | undefined;
}

/**
 * The sinkhole's log: JSON lines to a sink, filtered by level, and every record to the
 * subscribers of {@link subscribe}. Callers ask {@link wants} before building a record, so
 * nothing is built when nobody would see it.
 */
export class SinkholeLog {
  readonly #sink: LineSink | undefined;
  readonly #level: LogLevel;
  readonly #now: () => number;
  readonly #subscribers = new Set<RecordQueue<SinkholeLogRecord>>();
  #closed = false;
  #isoMs = Number.NaN;
  #iso = '';

  constructor(options: SinkholeLogOptions = {}) {
    this.#sink = options.sink;
    this.#level = options.level ?? 'info';
    this.#now = options.now ?? Date.now;
  }

  get level(): LogLevel {
    return this.#level;
  }

  /** True when a record at this level would be written or delivered. */
  wants(level: LogLevel): boolean {
    return this.#subscribers.size > 0 || (this.#sink !== undefined && levelEnabled(level, this.#level));
  }

  log(level: LogLevel, event: SinkholeEvent): void {
    this.#emit(level, event, false);
  }

  /** Written whatever the level: start-up and shutdown lines, which supervisors read. */
  always(level: LogLevel, event: SinkholeEvent): void {
    this.#emit(level, event, true);
  }

  /** Records from now on, until {@link close}. */
  subscribe(): AsyncIterableIterator<SinkholeLogRecord> {
    const queue = new RecordQueue<SinkholeLogRecord>((q) => this.#subscribers.delete(q));
    if (this.#closed) queue.end();
    else this.#subscribers.add(queue);
    return queue;
  }

  /** Ends every subscription; later records are still written to the sink. */
  close(): void {
    this.#closed = true;
    for (const queue of this.#subscribers) queue.end();
    this.#subscribers.clear();
  }

  #emit(level: LogLevel, event: SinkholeEvent, force: boolean): void {
    const write = this.#sink !== undefined && (force || levelEnabled(level, this.#level));
    if (!write && this.#subscribers.size === 0) return;
    const time = this.#time();
    if (write) this.#sink?.(formatLine(time, level, event));
    if (this.#subscribers.size === 0) return;
    const record = (event.msg === 'connection' ? { time, level, ...event, replyCounts: Object.fromEntries(event.replyCounts) } : { time, level, ...event }) as SinkholeLogRecord;
    for (const queue of this.#subscribers) queue.push(record);
  }

  /** The ISO time, formatted once per millisecond however many lines share it. */
  #time(): string {
    const ms = this.#now();
    if (ms !== this.#isoMs) {
      this.#isoMs = ms;
      this.#iso = new Date(ms).toISOString();
    }
    return this.#iso;
  }
}
