import { freePort, readCpuMs, readMemory, readSystemBusyMs } from '@sinkhole/test-kit';
import type { IdleResult } from '../load/idle-hold.js';
import type { LoadResult } from '../load/load-types.js';
import type { PostfixTools } from '../postfix/postfix-tools.js';
import { runSmtpSource } from '../postfix/smtp-source-run.js';
import type { Pinning } from '../proc/cpu-pinning.js';
import { runLoadClientProcess } from '../proc/run-client.js';
import { launchServer, type RunningServer } from '../proc/server-process.js';
import type { Target } from '../targets/target-catalog.js';
import { emptyCell, type CellResult, type LatencySummary } from './cell-result.js';
import type { ProfileSettings, Scenario } from './scenarios.js';

export interface CellContext {
  readonly settings: ProfileSettings;
  readonly pinning: Pinning;
  readonly postfix: PostfixTools;
  /** Node-client rate seen for a target on the same workload this repetition: sizes smtp-source runs. */
  readonly recentRates: Map<string, number>;
}

const FILE_LIMIT = 65_536;
/** smtp-source adds about this many header bytes to its -l payload. */
const SMTP_SOURCE_HEADER_BYTES = 160;

/** Starts the target fresh, drives it with the scenario's client, samples it, stops it. */
export async function runCell(ctx: CellContext, scenario: Scenario, target: Target, rep: number): Promise<CellResult> {
  if (target.unavailable !== null) return emptyCell(scenario.id, target.id, rep, 'unavailable', target.unavailable);
  if (scenario.client === 'smtp-source' && !ctx.postfix.available) {
    return emptyCell(scenario.id, target.id, rep, 'unavailable', `smtp-source unavailable: ${ctx.postfix.reason}`);
  }
  if (scenario.tls === true && !target.tls) return emptyCell(scenario.id, target.id, rep, 'unavailable', 'this target does not offer STARTTLS');
  let server: RunningServer;
  try {
    const port = await freePort();
    const command = target.command(port, scenario.mode, scenario.sinkholeMode, scenario.tls === true);
    server = await launchServer({
      ...command,
      port,
      cpu: ctx.pinning.serverCpu,
      fileLimit: FILE_LIMIT,
      readyTimeoutMs: 10_000,
    });
  } catch (err) {
    return emptyCell(scenario.id, target.id, rep, 'failed', `did not start: ${(err as Error).message}`);
  }
  try {
    const result = await drive(ctx, scenario, target, rep, server);
    const exit = server.exitReason();
    if (exit !== null) {
      return { ...result, status: 'crashed', reason: `server ${exit}${server.stderrTail() ? `: ${server.stderrTail().slice(-300)}` : ''}` };
    }
    return result;
  } catch (err) {
    const exit = server.exitReason();
    const status = exit !== null ? 'crashed' : 'failed';
    return emptyCell(scenario.id, target.id, rep, status, `${(err as Error).message}${exit !== null ? ` (server ${exit})` : ''}`);
  } finally {
    await server.stop();
  }
}

async function drive(ctx: CellContext, scenario: Scenario, target: Target, rep: number, server: RunningServer): Promise<CellResult> {
  const { settings, pinning } = ctx;
  const base = emptyCell(scenario.id, target.id, rep, 'ok', '');
  switch (scenario.client) {
    case 'idle': {
      const args = ['--port', String(server.port), '--idle', String(scenario.idleConnections), '--hold-ms', '1500', '--server-pid', String(server.pid)];
      const r = (await runLoadClientProcess(args, pinning.clientCpu, 120_000)) as IdleResult;
      const ok = r.established === scenario.idleConnections;
      return {
        ...base,
        status: ok ? 'ok' : 'failed',
        reason: ok ? null : `${r.established}/${scenario.idleConnections} connections established`,
        connectionsPerSec: r.connectionsPerSec,
        errors: r.errors,
        peakRssBytes: readMemory(server.pid)?.peakRssBytes ?? r.serverMemory?.peakRssBytes ?? null,
        heldRssBytes: r.serverMemory?.rssBytes ?? null,
        established: r.established,
      };
    }
    case 'smtp-source': {
      if (!ctx.postfix.available) throw new Error('smtp-source unavailable');
      const rate = ctx.recentRates.get(rateKey(target.id, scenario));
      const messages = Math.round(Math.min(300_000, Math.max(1000, (rate ?? 5000) * (settings.durationMs / 1000))));
      const r = await runSmtpSource({
        smtpSource: ctx.postfix.smtpSource,
        libraryPath: ctx.postfix.libraryPath,
        port: server.port,
        concurrency: scenario.concurrency,
        messages,
        bodySize: Math.max(0, scenario.messageSize - SMTP_SOURCE_HEADER_BYTES),
        reuse: scenario.reuse,
        cpu: pinning.clientCpu,
        serverPid: server.pid,
        timeoutMs: 120_000,
      });
      return {
        ...base,
        status: r.ok ? 'ok' : 'failed',
        reason: r.error,
        messagesPerSec: r.ok ? r.messagesPerSec : null,
        messages: r.messages,
        serverCpuMicrosPerMessage: r.serverCpuMicrosPerMessage,
        peakRssBytes: readMemory(server.pid)?.peakRssBytes ?? null,
      };
    }
    case 'node': {
      const args = [
        '--port', String(server.port),
        '--concurrency', String(scenario.concurrency),
        '--size', String(scenario.messageSize),
        '--connection', scenario.reuse ? 'reuse' : 'per-message',
        '--mode', scenario.mode,
        '--warmup-ms', String(settings.warmupMs),
        '--duration-ms', String(settings.durationMs),
        '--server-pid', String(server.pid),
        ...(scenario.pipelining ? ['--pipelining'] : []),
        ...(scenario.tls === true ? ['--tls'] : []),
        ...(scenario.rcptTo === undefined ? [] : ['--rcpt', scenario.rcptTo]),
      ];
      const timeout = settings.warmupMs + settings.durationMs + 30_000;
      const before = { busy: readSystemBusyMs(), server: readCpuMs(server.pid), at: process.hrtime.bigint() };
      const r = (await runLoadClientProcess(args, pinning.clientCpu, timeout)) as LoadResult;
      const busy = readSystemBusyMs();
      const serverCpu = readCpuMs(server.pid);
      const wallMs = Number(process.hrtime.bigint() - before.at) / 1e6;
      const foreignCpuCores =
        before.busy !== null && busy !== null && before.server !== null && serverCpu !== null
          ? Math.max(0, busy - before.busy - (serverCpu - before.server) - r.clientTotalCpuMs) / wallMs
          : null;
      ctx.recentRates.set(rateKey(target.id, scenario), r.messagesPerSec);
      const latencyMicros: Record<string, LatencySummary> = {};
      for (const [step, s] of Object.entries(r.latencyMicros)) {
        latencyMicros[step] = { p50: s.p50, p90: s.p90, p99: s.p99, max: s.max, count: s.count };
      }
      const errorCount = Object.values(r.errors).reduce((a, b) => a + b, 0);
      // More than 1% of transactions going wrong means the figure is not a throughput.
      const broken = r.messages === 0 || errorCount > 0.01 * Math.max(1, r.transactions);
      return {
        ...base,
        status: broken ? 'failed' : 'ok',
        reason: broken ? `errors: ${JSON.stringify(r.errors)}, outcomes: ${JSON.stringify(r.outcomes)}` : null,
        messagesPerSec: r.messagesPerSec,
        connectionsPerSec: r.connectionsPerSec,
        messages: r.messages,
        errors: r.errors,
        outcomes: r.outcomes,
        latencyMicros,
        serverCpuMicrosPerMessage: r.serverCpuMicrosPerMessage,
        clientCpuShare: r.elapsedMs > 0 ? r.clientCpuMs / r.elapsedMs : null,
        foreignCpuCores,
        peakRssBytes: readMemory(server.pid)?.peakRssBytes ?? null,
        pipelined: r.pipelined,
      };
    }
  }
}

/** Same workload whatever the client: an smtp-source scenario finds the rate of its node-client twin. */
function rateKey(target: string, s: Scenario): string {
  const variant = s.sinkholeMode === undefined && s.rcptTo === undefined && s.tls !== true ? '' : `/${s.id}`;
  return `${target}/${s.mode}/${s.messageSize}/${s.concurrency}/${s.reuse ? 'reuse' : 'per-message'}/${s.pipelining ? 'pipelined' : 'lock-step'}${variant}`;
}
