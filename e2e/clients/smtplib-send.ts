// Runs clients/smtplib-send.py with the machine's python3 and parses its JSON report.
import { fileURLToPath } from 'node:url';
import { PYTHON_BIN } from '../lib/paths.js';
import { runCommand } from '../lib/run-command.js';

const SCRIPT = fileURLToPath(new URL('./smtplib-send.py', import.meta.url));

export interface SmtplibOutcome {
  readonly ok: boolean;
  readonly exception?: string;
  /** SMTPRecipientsRefused: recipient -> [code, text]. */
  readonly recipients?: Readonly<Record<string, readonly [number, string]>>;
  readonly refused?: Readonly<Record<string, readonly [number, string]>>;
  readonly code?: number;
  readonly error?: string;
  readonly message?: string;
}

export async function sendWithSmtplib(port: number, from: string, to: string): Promise<SmtplibOutcome> {
  const result = await runCommand(PYTHON_BIN, [SCRIPT, String(port), from, to], { timeoutMs: 30_000 });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as SmtplibOutcome;
  } catch {
    throw new Error(`smtplib-send.py printed no JSON (code ${String(result.code)}):\n${result.stdout}\n${result.stderr}`);
  }
}
