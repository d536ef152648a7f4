import { connect } from 'node:net';
import { SmtpTestClient } from '@sinkhole/test-kit';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON (undefined when it is not JSON). */
  readonly json: unknown;
}

/** One request with fetch; the body is read whole. */
export async function request(
  port: number,
  path: string,
  init: { readonly method?: string; readonly token?: string; readonly body?: string; readonly headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers['authorization'] = `Bearer ${init.token}`;
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The error code of a JSON error answer. */
export function errorCode(answer: HttpAnswer): string | undefined {
  return (answer.json as { error?: { code?: string } } | undefined)?.error?.code;
}

/** A whole SMTP transaction: returns the reply to the end of DATA (or the RCPT reply when refused). */
export async function sendMail(port: number, rcpt: string, body = 'Subject: test\r\n\r\nhello\r\n'): Promise<string> {
  const c = await SmtpTestClient.connect(port);
  try {
    await c.reply();
    await c.command('EHLO http.test');
    await c.command('MAIL FROM:<sender@example.test>');
    const r = await c.command(`RCPT TO:<${rcpt}>`);
    if (r.code >= 400) return r.last;
    await c.command('DATA');
    const end = await c.command(`${body}.`);
    await c.command('QUIT');
    return end.last;
  } finally {
    c.close();
  }
}

/** Raw bytes over TCP, for requests fetch will not send (slow headers, bad framing); resolves when the server closes. */
export function rawExchange(port: number, chunks: readonly string[], gapMs: number): Promise<{ readonly received: string; readonly sentChunks: number; readonly closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const started = Date.now();
    let received = '';
    let sent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received, sentChunks: sent, closedAfterMs: Date.now() - started });
    });
    socket.once('connect', () => {
      const next = (): void => {
        if (socket.destroyed) return;
        if (sent >= chunks.length) return;
        socket.write(chunks[sent] as string);
        sent++;
        timer = setTimeout(next, gapMs);
      };
      next();
    });
    socket.once('error', (error) => {
      if (sent === 0) reject(error);
    });
  });
}
