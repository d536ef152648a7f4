import type { SessionPolicy, StartTlsAbort } from '../policy.js';
import { REPLY_TLS_NOT_AVAILABLE } from '../protocol/stock-replies.js';
import type { MutableSessionInfo } from '../session-info.js';
import { mirrorMachine } from './line-step.js';
import { isThenable } from './policy-call.js';
import type { InputQueue } from './input-queue.js';
import type { OutputBuffer } from './output-buffer.js';
import type { ProtocolTransport } from './protocol-types.js';
import type { SessionMachine } from './session-machine.js';

/** A session's STARTTLS in progress: the handshake, and a broken one the policy asked for. */
export class StartTlsState {
  /** Between STARTTLS's 220 and the end of the handshake: nothing is read. */
  handshaking = false;
  #abort: StartTlsAbort | undefined;

  /**
   * The STARTTLS decision: `454 4.7.0` past the bound on handshakes (maxTlsHandshakes) without
   * asking the policy; else the policy's onStartTls, its StartTlsAbort taken aside (the 220 is
   * sent, the handshake broken later).
   */
  policyFor(policy: SessionPolicy, transport: ProtocolTransport): SessionPolicy {
    const onStartTls = policy.onStartTls;
    return {
      onStartTls: (session) => {
        if (transport.tlsAvailable?.() !== true) return REPLY_TLS_NOT_AVAILABLE;
        const value = onStartTls?.call(policy, session);
        return isThenable(value) || !this.noteAbort(value) ? value : undefined;
      },
    };
  }

  /** True (and remembered) when an onStartTls value is a StartTlsAbort. */
  noteAbort(value: unknown): value is StartTlsAbort {
    if (typeof value !== 'object' || value === null) return false;
    const abort = (value as { abort?: unknown }).abort;
    if (abort !== 'reset' && abort !== 'alert') return false;
    this.#abort = value as StartTlsAbort;
    return true;
  }

  /**
   * After the 220: drops the plain text read ahead (CVE-2011-0411), flushes the 220, stops
   * reading, and hands the connection to the transport's handshake; `done` runs once it completed.
   */
  begin(transport: ProtocolTransport, input: InputQueue, output: OutputBuffer, machine: SessionMachine, session: MutableSessionInfo, resume: () => void): void {
    input.discardPlaintext();
    output.flush();
    input.pause(true);
    const abort = this.#abort;
    this.#abort = undefined;
    this.handshaking = true;
    transport.startTls?.(abort, (tls) => {
      this.handshaking = false;
      // RFC 3207 §4.2: what the session knew from the client before TLS is forgotten.
      machine.tlsStarted();
      session.tls = tls;
      mirrorMachine(session, machine);
      // The TLS socket is a new stream: it reads until told otherwise.
      input.forgetPause();
      resume();
    });
  }
}
