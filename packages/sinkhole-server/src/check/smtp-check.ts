import { connect, type Socket } from 'node:net';

export interface SmtpCheckResult {
  readonly ok: boolean;
  /** The greeting's last line, if one came. */
  readonly greeting: string | undefined;
  /** Why the check failed. */
  readonly problem: string | undefined;
  readonly durationMs: number;
}

const MAX_GREETING_BYTES = 8192;

/**
 * Health check: connect, read the greeting, and pass only on 220. Then QUIT and wait
 * (inside the same deadline) for the reply or the server's close, so the server sees a
 * polite client rather than a reset. Never throws.
 */
export function smtpCheck(host: string, port: number, timeoutMs: number): Promise<SmtpCheckResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let buffered = '';
    let greeting: string | undefined;
    let verdict: { ok: boolean; problem: string | undefined } | undefined;
    let done = false;
    const socket: Socket = connect({ host, port });
    const finish = (ok: boolean, problem: string | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok, greeting, problem, durationMs: Date.now() - started });
    };
    const timer = setTimeout(() => {
      // A greeting of 220 passed; only the polite goodbye ran out of time.
      if (verdict !== undefined) finish(verdict.ok, verdict.problem);
      else finish(false, `no greeting within ${timeoutMs} ms`);
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      if (verdict !== undefined) {
        if (/^\d{3} /m.test(chunk)) socket.end();
        return;
      }
      buffered += chunk;
      if (buffered.length > MAX_GREETING_BYTES) {
        finish(false, 'greeting longer than 8 KiB');
        return;
      }
      // The greeting may span lines ("220-..."); its last line has a space after the code.
      const last = buffered.split('\r\n').find((line) => /^\d{3}( |$)/.test(line));
      if (last === undefined) return;
      greeting = last;
      verdict = last.startsWith('220') ? { ok: true, problem: undefined } : { ok: false, problem: `greeting is not 220: ${last}` };
      socket.write('QUIT\r\n');
    });
    socket.on('end', () => {
      if (verdict !== undefined) finish(verdict.ok, verdict.problem);
      else finish(false, 'connection closed before a greeting');
    });
    socket.on('close', () => {
      if (verdict !== undefined) finish(verdict.ok, verdict.problem);
      else finish(false, 'connection closed before a greeting');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (verdict !== undefined) finish(verdict.ok, verdict.problem);
      else finish(false, `${error.code ?? error.name}: ${error.message}`);
    });
  });
}
