export { createSmtpServer, type SmtpServer, type SmtpServerOptions, type CloseOptions, type ListenOptions } from './server.js';
export { DEFAULT_LISTEN_BACKLOG, MAX_LISTEN_BACKLOG, defaultListenBacklog, readSomaxconn } from './listen-backlog.js';
export { DEFAULT_LIMITS, resolveLimits, type Limits, type LimitName, type LimitOverrides } from './limits.js';
export { SmtpCoreError, type SmtpCoreErrorCode } from './errors.js';
export type { SmtpEvent, EventSink, CloseReason } from './events.js';
export type { SessionInfo, TlsInfo } from './session-info.js';
export type { AuthInfo } from './session/session-security.js';
export type { SaslCredentials, SaslMechanism } from './protocol/sasl.js';
export {
  acceptAllPolicy,
  type Decision,
  type MaybePromise,
  type PolicyFactory,
  type ReceivedMessage,
  type SessionPolicy,
  type StartTlsAbort,
} from './policy.js';
export { policyAction, isPolicyAction, actionProblem, MAX_ACTION_DELAY_MS, type PolicyAction, type ActionClose } from './policy-action.js';
export { reply, replyProblem, isEnhancedCode, enhancedClassMatches, isPositive, closesChannel, type Reply, type EnhancedCode } from './protocol/replies.js';
export * as replies from './protocol/stock-replies.js';
export type { MailPath } from './protocol/path.js';
export type { EsmtpParams } from './protocol/esmtp-params.js';
export type { Envelope } from './session/envelope.js';
export { parseMailDsn, parseRcptDsn, type MailDsn, type RcptDsn, type NotifyCondition } from './protocol/dsn-params.js';
export { decodeXtext, encodeXtext } from './protocol/xtext.js';
export { DEFAULT_EXTENSIONS, EXTENSION_KEYWORDS, NO_EXTENSIONS, type Extensions } from './session/extensions.js';
export { selfSignedCertificate, type SelfSignedCertificate, type SelfSignedOptions } from './tls/self-signed.js';

// The engine without sockets: one whole session over any transport, for fuzzers and benchmarks.
export {
  createProtocolSession,
  type ProtocolSession,
  type ProtocolSessionOptions,
} from './session/create-protocol-session.js';
export { protocolSettings, type ProtocolConfig, type ProtocolSettings } from './session/protocol-settings.js';
export type { ProtocolTransport } from './session/protocol-types.js';
export type { LocalAddressSource } from './session-info.js';
export { SYSTEM_CLOCK, type ProtocolClock } from './clock.js';

// Sans-I/O building blocks.
export { LineFramer, LINE_TOO_LONG, type FramedLine } from './wire/line-framer.js';
export { DataDecoder } from './wire/data-decoder.js';
export { HeaderCapture } from './wire/header-capture.js';
export { formatReply } from './wire/reply-format.js';
export { parseCommand, type Command } from './protocol/command.js';
export { parsePath, isDomain, isAddressLiteral } from './protocol/path.js';
export { parseEsmtpParams } from './protocol/esmtp-params.js';
export { SessionMachine, type SessionMachineConfig, type Step, type HookCall, type HookName } from './session/session-machine.js';
export { decisionProblem } from './session/policy-call.js';
