import { SmtpTestClient } from '@sinkhole/test-kit';
import { MESSAGE } from './smtp-steps.js';

export interface TrafficResult {
  readonly connections: number;
  /** Longest wait from connect to the 220 greeting. */
  readonly maxGreetingMs: number;
  /** RCPT TO replies (final lines) and how often each came. */
  readonly rcptReplies: ReadonlyMap<string, number>;
  /** Messages answered 250 after their data. */
  readonly accepted: number;
  readonly problems: readonly string[];
}

export interface ProbeResult {
  readonly greetingMs: number;
  /** The RCPT TO reply's last line. */
  readonly rcpt: string;
  /** The message was answered 250 after its data. */
  readonly accepted: boolean;
}

/** One connection: greeting, EHLO, MAIL, RCPT; DATA if the recipient was accepted; QUIT. */
export async function probe(port: number): Promise<ProbeResult> {
  const started = Date.now();
  const c = await SmtpTestClient.connect(port);
  try {
    const greeting = await c.reply(10_000);
    const greetingMs = Date.now() - started;
    if (greeting.code !== 220) throw new Error(`greeting ${greeting.last}`);
    await c.command('EHLO steady.test');
    await c.command('MAIL FROM:<steady@example.test>');
    const rcpt = await c.command('RCPT TO:<x@sinkhole.test>');
    let accepted = false;
    if (rcpt.code === 250) {
      await c.command('DATA');
      c.write(MESSAGE);
      accepted = (await c.reply()).code === 250;
    }
    if (rcpt.code !== 421) await c.command('QUIT');
    return { greetingMs, rcpt: rcpt.last, accepted };
  } finally {
    c.close();
  }
}

/** `loops` clients, each probing the server every `pauseMs`, for `durationMs`. */
export async function steadyTraffic(port: number, options: { readonly durationMs: number; readonly loops: number; readonly pauseMs: number }): Promise<TrafficResult> {
  const deadline = Date.now() + options.durationMs;
  const rcptReplies = new Map<string, number>();
  const problems: string[] = [];
  let connections = 0;
  let maxGreetingMs = 0;
  let accepted = 0;
  await Promise.all(
    Array.from({ length: options.loops }, async () => {
      while (Date.now() < deadline) {
        try {
          const result = await probe(port);
          connections++;
          maxGreetingMs = Math.max(maxGreetingMs, result.greetingMs);
          rcptReplies.set(result.rcpt, (rcptReplies.get(result.rcpt) ?? 0) + 1);
          if (result.accepted) accepted++;
        } catch (error) {
          if (problems.length < 20) problems.push(String(error));
        }
        await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      }
    }),
  );
  return { connections, maxGreetingMs, rcptReplies, accepted, problems };
}

/** Probes until one RCPT gets `expected` (the mode read after the source healed); false after timeoutMs. */
export async function recovers(port: number, expected: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await probe(port)).rcpt === expected) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
