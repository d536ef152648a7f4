import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/protocol/command.js';
import { reply, type Reply } from '../../src/protocol/replies.js';
import { DEFAULT_EXTENSIONS } from '../../src/session/extensions.js';
import { SessionMachine, type HookCall, type SessionMachineConfig, type Step } from '../../src/session/session-machine.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function machine(extra: Partial<SessionMachineConfig> = {}): SessionMachine {
  const m = new SessionMachine({
    hostname: 'mx.test',
    extensions: DEFAULT_EXTENSIONS,
    maxMessageSize: 1000,
    maxRecipients: 10,
    maxProtocolErrors: 20,
    requireHelo: true,
    ...extra,
  });
  settleAll(m, m.start());
  return m;
}

/** Answers every hook with `decide(call)` (default: the default reply); returns the final reply step. */
function settleAll(m: SessionMachine, step: Step, decide: (call: HookCall) => Reply | undefined = () => undefined, calls: HookCall[] = []): Extract<Step, { kind: 'reply' }> {
  while (step.kind === 'ask') {
    calls.push(step.call);
    step = m.settle(decide(step.call));
  }
  if (step.kind === 'chunk') throw new Error('no BDAT here');
  return step;
}

const send = (m: SessionMachine, line: string, decide?: (call: HookCall) => Reply | undefined, calls?: HookCall[]) =>
  settleAll(m, m.expectingAuthResponse ? m.authResponse(line) : m.receive(parseCommand(Buffer.from(line))), decide, calls);
const text = (step: Extract<Step, { kind: 'reply' }>): string => `${step.reply.code} ${step.reply.enhanced ?? ''} ${step.reply.lines.join('|')}`.replace('  ', ' ');

describe('STARTTLS (RFC 3207) in the session rules', () => {
  it('is advertised when offered, answered 220 2.0.0 with the starttls step, and gone from EHLO after the handshake', () => {
    const m = machine({ starttls: true });
    expect(send(m, 'EHLO c').reply.lines).toContain('STARTTLS');
    const ready = send(m, 'STARTTLS');
    expect(text(ready)).toBe('220 2.0.0 Ready to start TLS');
    expect(ready.after).toBe('starttls');
    m.tlsStarted();
    expect(m.tls).toBe(true);
    // §4.2: the client must say EHLO again; the old HELO is forgotten.
    expect(m.helo).toBeUndefined();
    expect(send(m, 'MAIL FROM:<a@b.c>').reply.code).toBe(503);
    expect(send(m, 'EHLO c').reply.lines).not.toContain('STARTTLS');
    expect(text(send(m, 'STARTTLS'))).toBe('503 5.5.1 TLS already active');
  });

  it('the transaction in progress is discarded by the handshake', () => {
    const m = machine({ starttls: true });
    send(m, 'EHLO c');
    send(m, 'MAIL FROM:<a@b.c>');
    send(m, 'STARTTLS');
    m.tlsStarted();
    expect(m.envelope).toBeUndefined();
    send(m, 'EHLO c');
    expect(send(m, 'RCPT TO:<d@e.f>').reply.code).toBe(503);
  });

  it('without a certificate STARTTLS is 502, and not advertised', () => {
    const m = machine();
    expect(send(m, 'EHLO c').reply.lines).not.toContain('STARTTLS');
    expect(send(m, 'STARTTLS').reply.code).toBe(502);
  });

  it('the policy can refuse it (454 4.7.0): no starttls step, the session goes on', () => {
    const m = machine({ starttls: true });
    send(m, 'EHLO c');
    const refused = send(m, 'STARTTLS', () => reply(454, '4.7.0', 'TLS not available'));
    expect(text(refused)).toBe('454 4.7.0 TLS not available');
    expect(refused.after).toBe('continue');
    expect(send(m, 'MAIL FROM:<a@b.c>').reply.code).toBe(250);
  });

  it('STARTTLS takes no argument', () => {
    const m = machine({ starttls: true });
    send(m, 'EHLO c');
    expect(send(m, 'STARTTLS now').reply.code).toBe(501);
  });

  it('tlsRequired: MAIL, RCPT, DATA, VRFY and AUTH get 530 5.7.0 until TLS; EHLO, NOOP, RSET, QUIT do not', () => {
    const m = machine({ starttls: true, tlsRequired: true, auth: true });
    const ehlo = send(m, 'EHLO c');
    expect(ehlo.reply.lines).toContain('STARTTLS');
    expect(ehlo.reply.lines).not.toContain('AUTH PLAIN LOGIN');
    for (const line of ['MAIL FROM:<a@b.c>', 'RCPT TO:<d@e.f>', 'DATA', 'VRFY x', `AUTH PLAIN ${b64('\0u\0p')}`]) {
      expect(text(send(m, line)), line).toBe('530 5.7.0 Must issue a STARTTLS command first');
    }
    expect(send(m, 'NOOP').reply.code).toBe(250);
    expect(send(m, 'RSET').reply.code).toBe(250);
    send(m, 'STARTTLS');
    m.tlsStarted();
    expect(send(m, 'EHLO c').reply.lines).toContain('AUTH PLAIN LOGIN');
    expect(send(m, 'MAIL FROM:<a@b.c>').reply.code).toBe(250);
  });
});

describe('AUTH (RFC 4954) in the session rules', () => {
  it('PLAIN with an initial response asks the auth hook with the credentials; 235 2.7.0 records mechanism and authzid', () => {
    const m = machine({ auth: true });
    expect(send(m, 'EHLO c').reply.lines).toContain('AUTH PLAIN LOGIN');
    const calls: HookCall[] = [];
    expect(text(send(m, `AUTH PLAIN ${b64('boss\0alice\0secret')}`, undefined, calls))).toBe('235 2.7.0 Authentication successful');
    expect(calls).toEqual([{ hook: 'auth', credentials: { mechanism: 'PLAIN', authorizationId: 'boss', username: 'alice', password: 'secret' } }]);
    expect(m.auth).toEqual({ mechanism: 'PLAIN', authorizationId: 'boss' });
    expect(text(send(m, `AUTH PLAIN ${b64('\0a\0b')}`))).toBe('503 5.5.1 Already authenticated');
  });

  it('PLAIN without an initial response: an empty 334, then the response line', () => {
    const m = machine({ auth: true });
    send(m, 'EHLO c');
    expect(text(send(m, 'AUTH PLAIN'))).toBe('334 ');
    expect(m.expectingAuthResponse).toBe(true);
    expect(send(m, b64('\0alice\0secret')).reply.code).toBe(235);
    expect(m.expectingAuthResponse).toBe(false);
  });

  it('LOGIN: Username: and Password: prompts, then the hook', () => {
    const m = machine({ auth: true });
    send(m, 'EHLO c');
    expect(text(send(m, 'AUTH LOGIN'))).toBe('334 VXNlcm5hbWU6');
    expect(text(send(m, b64('alice')))).toBe('334 UGFzc3dvcmQ6');
    const calls: HookCall[] = [];
    expect(send(m, b64('secret'), undefined, calls).reply.code).toBe(235);
    expect(calls).toEqual([{ hook: 'auth', credentials: { mechanism: 'LOGIN', authorizationId: '', username: 'alice', password: 'secret' } }]);
    expect(m.auth).toEqual({ mechanism: 'LOGIN', authorizationId: '' });
  });

  it('LOGIN with the user name as initial response goes straight to the password prompt', () => {
    const m = machine({ auth: true });
    send(m, 'EHLO c');
    expect(text(send(m, `AUTH LOGIN ${b64('alice')}`))).toBe('334 UGFzc3dvcmQ6');
  });

  it('the policy refuses with 535 5.7.8: not authenticated, AUTH may be tried again', () => {
    const m = machine({ auth: true });
    send(m, 'EHLO c');
    expect(text(send(m, `AUTH PLAIN ${b64('\0a\0b')}`, () => reply(535, '5.7.8', 'Authentication credentials invalid')))).toBe('535 5.7.8 Authentication credentials invalid');
    expect(m.auth).toBeUndefined();
    expect(send(m, `AUTH PLAIN ${b64('\0a\0b')}`).reply.code).toBe(235);
  });

  it.each([
    ['*', '501 5.0.0 Authentication cancelled'],
    ['not base64!', '501 5.5.2 Cannot decode response: not base64'],
    [b64('no-nuls'), '501 5.5.2 Cannot decode response: PLAIN needs authzid NUL authcid NUL password'],
  ])('a response %j ends the exchange with %s', (line, expected) => {
    const m = machine({ auth: true });
    send(m, 'EHLO c');
    send(m, 'AUTH PLAIN');
    expect(text(send(m, line))).toBe(expected);
    expect(m.expectingAuthResponse).toBe(false);
    expect(send(m, 'NOOP').reply.code).toBe(250);
  });

  it('unknown mechanism 504, during a transaction 503, before EHLO 503, when not offered 502', () => {
    const m = machine({ auth: true });
    expect(send(m, `AUTH PLAIN ${b64('\0a\0b')}`).reply.code).toBe(503);
    send(m, 'EHLO c');
    expect(text(send(m, 'AUTH CRAM-MD5'))).toBe('504 5.5.4 Unrecognized authentication type');
    send(m, 'MAIL FROM:<a@b.c>');
    expect(text(send(m, `AUTH PLAIN ${b64('\0a\0b')}`))).toBe('503 5.5.1 AUTH not permitted during a mail transaction');
    const off = machine();
    send(off, 'EHLO c');
    expect(send(off, `AUTH PLAIN ${b64('\0a\0b')}`).reply.code).toBe(502);
    expect(send(off, 'EHLO c').reply.lines.some((l) => l.startsWith('AUTH'))).toBe(false);
  });

  it('AUTH syntax: a mechanism is required, at most one response', () => {
    const m = machine({ auth: true });
    send(m, 'EHLO c');
    expect(send(m, 'AUTH').reply.code).toBe(501);
    expect(send(m, 'AUTH PLAIN a b').reply.code).toBe(501);
  });

  it('a line too long during the exchange cancels it', () => {
    const m = machine({ auth: true });
    send(m, 'EHLO c');
    send(m, 'AUTH PLAIN');
    expect(m.lineTooLong().kind).toBe('reply');
    expect(m.expectingAuthResponse).toBe(false);
  });
});
