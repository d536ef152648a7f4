import { readCpuMs } from '@sinkhole/test-kit';
import { LatencyHistogram, type HistogramSnapshot } from '../stats/latency-histogram.js';
import { ClientSession, type SessionHost } from './client-session.js';
import { buildCommandBytes, type CommandBytes } from './command-bytes.js';
import { isExpectedOutcome, STEPS, type LoadOptions, type LoadResult, type Step } from './load-types.js';

/** How long sessions may take to finish after the window closes before they are cut off. */
const DRAIN_MS = 5_000;
const TICK_MS = 250;

type Phase = 'warmup' | 'measure' | 'stopping';

/**
 * Drives `concurrency` SMTP sessions against one server: a warm-up, then a measured window,
 * then every session finishes its transaction and QUITs. Counters and latencies only count
 * inside the window. Bounded: the run ends by itself after warm-up + window + DRAIN_MS.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new LoadRun(options).start();
}

function totalCpuMs(): number {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
}

class LoadRun implements SessionHost {
  readonly bytes: CommandBytes;
  private readonly sessions = new Set<ClientSession>();
  private readonly histograms = new Map<Step, LatencyHistogram>(STEPS.map((s) => [s, new LatencyHistogram()]));
  private readonly outcomes = new Map<string, number>();
  private readonly errors = new Map<string, number>();
  private phase: Phase = 'warmup';
  private claimed = 0;
  private ended = 0;
  private messages = 0;
  private transactions = 0;
  private clientCpuStart: NodeJS.CpuUsage = process.cpuUsage();
  private clientCpuMs = 0;
  private delivered = 0;
  private connections = 0;
  private bytesSent = 0;
  private sawPipelining = false;
  private windowStart = 0n;
  private windowEnd = 0n;
  private cpuStart: number | null = null;
  private cpuEnd: number | null = null;
  private resolve: ((result: LoadResult) => void) | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private phaseTimer: NodeJS.Timeout | null = null;

  constructor(readonly options: LoadOptions) {
    if (options.durationMs <= 0 && options.messageCount <= 0) throw new RangeError('give durationMs or messageCount');
    if (options.concurrency < 1) throw new RangeError('concurrency must be >= 1');
    this.bytes = buildCommandBytes(options.heloName, options.messageSize, options.rcptTo);
  }

  start(): Promise<LoadResult> {
    return new Promise((resolve) => {
      this.resolve = resolve;
      this.ticker = setInterval(() => this.checkTimeouts(), TICK_MS);
      if (this.options.warmupMs > 0 && this.options.durationMs > 0) {
        this.phaseTimer = setTimeout(() => this.openWindow(), this.options.warmupMs);
      } else {
        this.openWindow();
      }
      for (let i = 0; i < this.options.concurrency; i++) this.openSession();
    });
  }

  private openWindow(): void {
    this.phase = 'measure';
    for (const step of this.histograms.keys()) this.histograms.set(step, new LatencyHistogram());
    this.outcomes.clear();
    this.errors.clear();
    this.messages = 0;
    this.transactions = 0;
    this.delivered = 0;
    this.clientCpuStart = process.cpuUsage();
    this.connections = 0;
    this.bytesSent = 0;
    this.cpuStart = this.options.serverPid === undefined ? null : readCpuMs(this.options.serverPid);
    this.windowStart = process.hrtime.bigint();
    if (this.options.durationMs > 0) {
      this.phaseTimer = setTimeout(() => this.closeWindow(), this.options.durationMs);
    }
  }

  private closeWindow(): void {
    if (this.phase === 'stopping') return;
    this.windowEnd = process.hrtime.bigint();
    this.cpuEnd = this.options.serverPid === undefined ? null : readCpuMs(this.options.serverPid);
    const cpu = process.cpuUsage(this.clientCpuStart);
    this.clientCpuMs = (cpu.user + cpu.system) / 1000;
    this.phase = 'stopping';
    this.phaseTimer = setTimeout(() => {
      for (const s of this.sessions) s.abort('drain-timeout');
    }, DRAIN_MS);
    this.maybeDone();
  }

  private openSession(): void {
    this.sessions.add(new ClientSession(this));
  }

  claimTransaction(): boolean {
    if (this.phase === 'stopping') return false;
    if (this.options.messageCount > 0 && this.claimed >= this.options.messageCount) return false;
    this.claimed += 1;
    return true;
  }

  transactionEnded(code: number, startedNs: bigint): void {
    this.ended += 1;
    if (this.options.durationMs <= 0 && this.options.messageCount > 0 && this.ended >= this.options.messageCount) {
      // Count mode: the window closes with the last transaction.
      this.count(code, startedNs);
      this.closeWindow();
      return;
    }
    if (this.phase !== 'measure') return;
    this.count(code, startedNs);
  }

  private count(code: number, startedNs: bigint): void {
    this.transactions += 1;
    if (code === 250) this.delivered += 1;
    const key = String(code);
    this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
    if (isExpectedOutcome(this.options.mode, code)) this.messages += 1;
    else this.bump(this.errors, `code:${code}`);
    this.latency('TXN', startedNs);
  }

  latency(step: Step, sentNs: bigint): void {
    if (this.phase !== 'measure') return;
    this.histograms.get(step)!.record(Number(process.hrtime.bigint() - sentNs) / 1000);
  }

  greeted(): void {
    if (this.phase === 'measure') this.connections += 1;
  }

  problem(kind: string): void {
    if (this.phase !== 'warmup') this.bump(this.errors, kind);
  }

  sent(bytes: number): void {
    if (this.phase === 'measure') this.bytesSent += bytes;
  }

  sessionClosed(session: ClientSession): void {
    this.sessions.delete(session);
    if (this.phase !== 'stopping' && this.canStartMore()) {
      this.openSession();
      return;
    }
    this.maybeDone();
  }

  private canStartMore(): boolean {
    return this.options.messageCount <= 0 || this.claimed < this.options.messageCount;
  }

  private checkTimeouts(): void {
    const limit = BigInt(this.options.replyTimeoutMs) * 1_000_000n;
    const now = process.hrtime.bigint();
    for (const s of this.sessions) {
      const since = s.waitingSince;
      if (since !== null && now - since > limit) s.abort('timeout');
    }
  }

  private bump(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  private maybeDone(): void {
    if (this.phase !== 'stopping' || this.sessions.size > 0 || this.resolve === null) return;
    if (this.ticker !== null) clearInterval(this.ticker);
    if (this.phaseTimer !== null) clearTimeout(this.phaseTimer);
    const resolve = this.resolve;
    this.resolve = null;
    resolve(this.result());
  }

  private result(): LoadResult {
    const elapsedMs = Number(this.windowEnd - this.windowStart) / 1e6;
    const latencyMicros: Partial<Record<Step, HistogramSnapshot>> = {};
    for (const [step, h] of this.histograms) if (h.count > 0) latencyMicros[step] = h.snapshot();
    const serverCpuMs = this.cpuStart !== null && this.cpuEnd !== null ? this.cpuEnd - this.cpuStart : null;
    return {
      options: this.options,
      elapsedMs,
      messages: this.messages,
      transactions: this.transactions,
      delivered: this.delivered,
      connections: this.connections,
      messagesPerSec: elapsedMs > 0 ? (this.messages * 1000) / elapsedMs : 0,
      connectionsPerSec: elapsedMs > 0 ? (this.connections * 1000) / elapsedMs : 0,
      outcomes: Object.fromEntries(this.outcomes),
      errors: Object.fromEntries(this.errors),
      latencyMicros,
      pipelined: this.options.pipelining && this.sawPipelining,
      serverCpuMs,
      serverCpuMicrosPerMessage: serverCpuMs !== null && this.transactions > 0 ? (serverCpuMs * 1000) / this.transactions : null,
      clientCpuMs: this.clientCpuMs,
      clientTotalCpuMs: totalCpuMs(),
      bytesSent: this.bytesSent,
    };
  }

  pipeliningOffered(offered: boolean): void {
    if (offered) this.sawPipelining = true;
  }
}
