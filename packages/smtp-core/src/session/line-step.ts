import type { SessionPolicy } from '../policy.js';
import { parseCommand } from '../protocol/command.js';
import type { MutableSessionInfo } from '../session-info.js';
import { LINE_TOO_LONG, type LineRange } from '../wire/line-framer.js';
import type { ProtocolSettings } from './protocol-settings.js';
import type { SessionMachine, Step } from './session-machine.js';

/** What the machine makes of one framed input line (with the limit and trace events it causes). */
export function stepForLine(line: LineRange | typeof LINE_TOO_LONG, machine: SessionMachine, settings: ProtocolSettings, session: MutableSessionInfo): Step {
  if (line === LINE_TOO_LONG) {
    settings.emit?.({ type: 'limit', session, limit: 'maxLineLength', value: settings.limits.maxLineLength });
    return machine.lineTooLong();
  }
  // After a 334 challenge the line is a SASL response (RFC 4954 §4), never a command.
  if (machine.expectingAuthResponse) return machine.authResponse(line.bytes.toString('latin1', line.start, line.end));
  const command = parseCommand(line.bytes, line.start, line.end);
  if (settings.trace) settings.emit?.({ type: 'command', session, verb: command.verb === 'INVALID' ? command.name : command.verb });
  return machine.receive(command);
}

/** The session info the policy reads follows the machine after every reply. */
export function mirrorMachine(session: MutableSessionInfo, machine: SessionMachine): void {
  session.helo = machine.helo;
  session.esmtp = machine.esmtp;
  session.envelope = machine.envelope;
  session.auth = machine.auth;
}

/** Applies the policy's extensionsFor(session) over the server's set; a throw is reported and changes nothing. */
export function sessionExtensions(policy: SessionPolicy, machine: SessionMachine, settings: ProtocolSettings, session: MutableSessionInfo): void {
  try {
    const chosen = policy.extensionsFor?.(session);
    if (chosen !== undefined && chosen !== null) machine.useExtensions({ ...settings.machine.extensions, ...chosen });
  } catch (error) {
    settings.emit?.({ type: 'hook-error', session, hook: 'helo', error });
  }
}
