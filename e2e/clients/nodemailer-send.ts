// Sends one message with nodemailer and reports what nodemailer reported (info or error fields).
import nodemailer from 'nodemailer';

export interface NodemailerOutcome {
  readonly ok: boolean;
  readonly response: string | undefined;
  readonly responseCode: number | undefined;
  /** nodemailer's error code (EENVELOPE, ECONNECTION, ...). */
  readonly code: string | undefined;
  readonly command: string | undefined;
  readonly accepted: readonly string[];
  readonly rejected: readonly string[];
}

function field<T>(value: unknown, key: string, type: 'string' | 'number' | 'object'): T | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === type ? (v as T) : undefined;
}

function addresses(value: unknown): string[] {
  return Array.isArray(value) ? value.map((a) => (typeof a === 'string' ? a : String(field<string>(a, 'address', 'string')))) : [];
}

export async function sendWithNodemailer(port: number, from: string, to: string): Promise<NodemailerOutcome> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    name: 'client.e2e.test',
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 10_000,
  });
  try {
    const info: unknown = await transport.sendMail({ from, to, subject: 'nodemailer e2e', text: 'sent by nodemailer' });
    return {
      ok: true,
      response: field<string>(info, 'response', 'string'),
      responseCode: undefined,
      code: undefined,
      command: undefined,
      accepted: addresses(field<unknown>(info, 'accepted', 'object')),
      rejected: addresses(field<unknown>(info, 'rejected', 'object')),
    };
  } catch (error: unknown) {
    return {
      ok: false,
      response: field<string>(error, 'response', 'string'),
      responseCode: field<number>(error, 'responseCode', 'number'),
      code: field<string>(error, 'code', 'string'),
      command: field<string>(error, 'command', 'string'),
      accepted: [],
      rejected: addresses(field<unknown>(error, 'rejected', 'object')),
    };
  } finally {
    transport.close();
  }
}
