// Sends one message with swaks and reports its exit code and the server replies in its transcript.
import { runCommand } from '../lib/run-command.js';

export interface SwaksOutcome {
  /** swaks exit code: 0 ok, 24 "error after RCPT TO" (all recipients refused), ... (man swaks, EXIT CODES). */
  readonly exitCode: number | null;
  /** Server replies swaks printed ("<-  250 ..." and "<** 421 ..." lines), without the arrows. */
  readonly replies: readonly string[];
  /** The replies swaks flagged as errors ("<**"). */
  readonly errorReplies: readonly string[];
  readonly transcript: string;
}

export async function sendWithSwaks(port: number, from: string, to: string): Promise<SwaksOutcome> {
  const result = await runCommand(
    'swaks',
    ['--server', `127.0.0.1:${port}`, '--from', from, '--to', to, '--helo', 'client.e2e.test', '--timeout', '10s',
      '--header', 'Subject: swaks e2e'],
    { timeoutMs: 30_000 },
  );
  const transcript = result.stdout + result.stderr;
  const replies: string[] = [];
  const errorReplies: string[] = [];
  for (const line of transcript.split('\n')) {
    const m = /^<(-|\*\*) +(.*)$/.exec(line);
    if (m?.[2] === undefined) continue;
    replies.push(m[2]);
    if (m[1] === '**') errorReplies.push(m[2]);
  }
  return { exitCode: result.code, replies, errorReplies, transcript };
}
