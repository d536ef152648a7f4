// Sends one message with Postfix's smtp-source (extracted, not installed) and reports exit status and stderr.
import { POSTFIX_LIB_DIR, SMTP_SOURCE_BIN } from '../lib/paths.js';
import { runCommand } from '../lib/run-command.js';

export interface SmtpSourceOutcome {
  readonly exitCode: number | null;
  /** With -c, smtp-source prints the count of messages sent. */
  readonly stdout: string;
  /** Failures: "smtp-source: fatal: recipient rejected: 421 4.3.2 ...". */
  readonly stderr: string;
}

export async function sendWithSmtpSource(port: number, from: string, to: string): Promise<SmtpSourceOutcome> {
  const result = await runCommand(
    SMTP_SOURCE_BIN,
    ['-c', '-m', '1', '-M', 'client.e2e.test', '-f', from, '-t', to, `127.0.0.1:${port}`],
    { timeoutMs: 30_000, env: { ...process.env, LD_LIBRARY_PATH: POSTFIX_LIB_DIR } },
  );
  return { exitCode: result.code, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}
