import type { Writable } from 'node:stream';
import { smtpCheck } from '../check/smtp-check.js';
import { toJsonLine } from '../log/json-line.js';
import { VERSION } from '../version.js';
import { parseCommandLine, type CheckOptions, type Command } from './command-line.js';
import { environmentRefusal } from './environment-guard.js';
import { runServer, type StopSignal } from './run-server.js';
import { BufferedLines } from './stdout-lines.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, UsageError } from './usage-error.js';

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly onStopSignal: (handler: (signal: StopSignal) => void) => void;
  /** Log lines to stdout; default a new BufferedLines over io.stdout. */
  readonly lines?: BufferedLines;
}

/** The whole program: resolves with the exit status once everything it wrote is flushed. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const lines = io.lines ?? new BufferedLines(io.stdout);
  const status = await run(argv, io, lines);
  await lines.flush();
  return status;
}

async function run(argv: readonly string[], io: CliIo, lines: BufferedLines): Promise<number> {
  let command: Command;
  try {
    command = parseCommandLine(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`sinkhole-server: ${error.message}\nRun "sinkhole-server --help" for the flags and accepted values.\n`);
    return EXIT_USAGE;
  }
  switch (command.kind) {
    case 'help':
      io.stdout.write(command.text);
      return EXIT_OK;
    case 'version':
      io.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    case 'check':
      return check(command.options, lines);
    case 'serve': {
      const refusal = environmentRefusal(command.config.environment);
      if (refusal !== undefined) {
        io.stderr.write(`sinkhole-server: ${refusal}\n`);
        return EXIT_REFUSED;
      }
      return runServer(command.config, { lines, onStopSignal: io.onStopSignal });
    }
  }
}

async function check(options: CheckOptions, lines: BufferedLines): Promise<number> {
  const result = await smtpCheck(options.host, options.port, options.timeoutMs);
  lines.write(
    toJsonLine({
      time: new Date().toISOString(),
      level: result.ok ? 'info' : 'error',
      msg: 'check',
      ok: result.ok,
      host: options.host,
      port: options.port,
      greeting: result.greeting ?? null,
      problem: result.problem ?? null,
      durationMs: result.durationMs,
    }),
  );
  return result.ok ? EXIT_OK : EXIT_FAILURE;
}
