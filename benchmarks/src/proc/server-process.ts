import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { track } from '@sinkhole/test-kit';
import { pinPrefix } from './cpu-pinning.js';

export interface LaunchSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** The port the server will listen on (127.0.0.1). */
  readonly port: number;
  readonly cpu: number | null;
  /** Raise the open-file limit first (10,000 idle connections need it). */
  readonly fileLimit: number;
  readonly readyTimeoutMs: number;
}

export interface RunningServer {
  readonly pid: number;
  readonly port: number;
  /** Non-null once the process has exited: "exit 1", "signal SIGSEGV". */
  exitReason(): string | null;
  /** Last bytes the process wrote to stderr (diagnostics). */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const STDERR_TAIL = 4096;

/**
 * Starts a server as its own process (pinned, with a raised fd limit, stdout to /dev/null so
 * its logging costs what it costs in production minus the log shipper) and waits until it
 * answers 220 on its port. The shell `exec`s through to the server, so pid is the server's.
 */
export async function launchServer(spec: LaunchSpec): Promise<RunningServer> {
  const script = `ulimit -n ${spec.fileLimit} 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"`;
  const child = track(
    spawn('/bin/sh', ['-c', script, 'sh', ...pinPrefix(spec.cpu), spec.file, ...spec.args], {
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    tail = (tail + text).slice(-STDERR_TAIL);
  });
  let exit: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal !== null ? `signal ${signal}` : `exit ${code ?? '?'}`;
      resolve();
    });
    child.once('error', (err) => {
      exit = `spawn error: ${err.message}`;
      resolve();
    });
  });
  const server: RunningServer = {
    pid: child.pid ?? -1,
    port: spec.port,
    exitReason: () => exit,
    stderrTail: () => tail.trim(),
    stop: (graceMs = 3000) => stopChild(child, exited, graceMs),
  };
  const deadline = Date.now() + spec.readyTimeoutMs;
  for (;;) {
    if (exit !== null) throw new Error(`exited before listening (${exit})${tail.trim() ? `: ${lastLines(tail)}` : ''}`);
    if (await greets(spec.port)) return server;
    if (Date.now() > deadline) {
      await server.stop(500);
      throw new Error(`no 220 greeting on port ${spec.port} within ${spec.readyTimeoutMs} ms${tail.trim() ? `: ${lastLines(tail)}` : ''}`);
    }
    await sleep(50);
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Connects, waits for a 220 line, says QUIT. False on refusal, silence or any other reply. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    let settled = false;
    const done = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('data');
      if (ok) socket.end('QUIT\r\n');
      else socket.destroy();
      socket.on('error', () => undefined);
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 2000);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const eol = text.indexOf('\r\n');
      if (eol !== -1) done(text.startsWith('220'));
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ');
}
