import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/protocol/command.js';
import { reply } from '../../src/protocol/replies.js';
import { DEFAULT_EXTENSIONS } from '../../src/session/extensions.js';
import { SessionMachine, type Step } from '../../src/session/session-machine.js';

/** The RFC 5321 §4.1.4 sequencing rules, as simply as they can be said. */
interface Model {
  greeted: boolean;
  inTransaction: boolean;
  accepted: number;
  refused: number;
}

interface Real {
  machine: SessionMachine;
}

const MAX_RECIPIENTS = 3;
const REFUSE = reply(550, '5.1.1', 'no');

/** Runs a command line through the machine, answering any hook with `decision`; returns the final reply code. */
function exec(machine: SessionMachine, line: string, decision?: ReturnType<typeof reply>): { code: number; step: Step } {
  let step = machine.receive(parseCommand(Buffer.from(line)));
  while (step.kind === 'ask') step = machine.settle(decision);
  if (step.kind === 'chunk') throw new Error('the model sends no BDAT');
  return { code: step.reply.code, step };
}

class Helo implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    expect(exec(r.machine, 'EHLO client.test').code).toBe(250);
    Object.assign(m, { greeted: true, inTransaction: false, accepted: 0, refused: 0 });
  }
  toString = (): string => 'EHLO';
}

class Mail implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const { code } = exec(r.machine, 'MAIL FROM:<a@example.com>');
    if (!m.greeted || m.inTransaction) {
      expect(code).toBe(503);
      return;
    }
    expect(code).toBe(250);
    Object.assign(m, { inTransaction: true, accepted: 0, refused: 0 });
  }
  toString = (): string => 'MAIL';
}

class Rcpt implements fc.Command<Model, Real> {
  constructor(readonly policyAccepts: boolean) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const { code } = exec(r.machine, 'RCPT TO:<b@example.com>', this.policyAccepts ? undefined : REFUSE);
    if (!m.inTransaction) {
      expect(code).toBe(503);
    } else if (m.accepted >= MAX_RECIPIENTS) {
      expect(code).toBe(452);
      m.refused++;
    } else if (this.policyAccepts) {
      expect(code).toBe(250);
      m.accepted++;
    } else {
      expect(code).toBe(550);
      m.refused++;
    }
  }
  toString = (): string => `RCPT(${this.policyAccepts ? 'ok' : 'refused'})`;
}

class Data implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    const { code } = exec(r.machine, 'DATA');
    if (!m.inTransaction) return void expect(code).toBe(503);
    if (m.accepted === 0) return void expect(code).toBe(m.refused > 0 ? 554 : 503);
    expect(code).toBe(354);
    expect(r.machine.state).toBe('data');
    let step = r.machine.dataReceived(10, false);
    while (step.kind === 'ask') step = r.machine.settle(undefined);
    expect(step.kind === 'reply' && step.reply.code).toBe(250);
    Object.assign(m, { inTransaction: false, accepted: 0, refused: 0 });
  }
  toString = (): string => 'DATA';
}

class Rset implements fc.Command<Model, Real> {
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    expect(exec(r.machine, 'RSET').code).toBe(250);
    Object.assign(m, { inTransaction: false, accepted: 0, refused: 0 });
  }
  toString = (): string => 'RSET';
}

class Noise implements fc.Command<Model, Real> {
  constructor(readonly line: string, readonly code: number) {}
  check = (): boolean => true;
  run(m: Model, r: Real): void {
    expect(exec(r.machine, this.line).code).toBe(this.code);
    // None of these may change the transaction.
    expect(r.machine.envelope !== undefined).toBe(m.inTransaction);
  }
  toString = (): string => this.line;
}

describe('SessionMachine against a model of RFC 5321 sequencing', () => {
  it('agrees with the model on every command sequence', () => {
    const commands = [
      fc.constant(new Helo()),
      fc.constant(new Mail()),
      fc.boolean().map((ok) => new Rcpt(ok)),
      fc.constant(new Data()),
      fc.constant(new Rset()),
      fc.constantFrom(
        new Noise('NOOP', 250),
        new Noise('VRFY x', 252),
        new Noise('HELP', 214),
        new Noise('EXPN x', 502),
        new Noise('BOGUS', 500),
        new Noise('MAIL FROM:broken', 501),
        new Noise('RCPT TO:<>', 501),
        new Noise('DATA now', 501),
      ),
    ];
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60 }), (cmds) => {
        const machine = new SessionMachine({
          hostname: 'mx.test',
          extensions: DEFAULT_EXTENSIONS,
          maxMessageSize: 1000,
          maxRecipients: MAX_RECIPIENTS,
          maxProtocolErrors: 10_000,
          requireHelo: true,
        });
        const greeting = machine.start();
        expect(greeting.kind).toBe('ask');
        expect(machine.settle(undefined)).toMatchObject({ kind: 'reply', reply: { code: 220 } });
        fc.modelRun(() => ({ model: { greeted: false, inTransaction: false, accepted: 0, refused: 0 }, real: { machine } }), cmds);
      }),
      { numRuns: 500 },
    );
  });
});
