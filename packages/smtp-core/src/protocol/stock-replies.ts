import { reply } from './replies.js';

// The engine's own replies, in one place so tests and fixtures can assert against them.
export const REPLY_OK = reply(250, '2.0.0', 'OK');
export const REPLY_MAIL_OK = reply(250, '2.1.0', 'OK');
export const REPLY_RCPT_OK = reply(250, '2.1.5', 'OK');
export const REPLY_MESSAGE_ACCEPTED = reply(250, '2.0.0', 'OK: message accepted');
export const REPLY_RESET = reply(250, '2.0.0', 'Reset OK');
export const REPLY_START_DATA = reply(354, null, 'End data with <CR><LF>.<CR><LF>');
export const REPLY_BYE = reply(221, '2.0.0', 'Bye');
export const REPLY_VRFY = reply(252, '2.0.0', 'Cannot VRFY user, but will accept message and attempt delivery');

export const REPLY_LINE_TOO_LONG = reply(500, '5.5.2', 'Line too long');
export const REPLY_UNRECOGNIZED = reply(500, '5.5.2', 'Command unrecognized');
export const REPLY_NOT_IMPLEMENTED = reply(502, '5.5.1', 'Command not implemented');
export const REPLY_BAD_SEQUENCE_HELO = reply(503, '5.5.1', 'Bad sequence of commands: send HELO/EHLO first');
export const REPLY_BAD_SEQUENCE_NESTED_MAIL = reply(503, '5.5.1', 'Bad sequence of commands: nested MAIL command');
export const REPLY_BAD_SEQUENCE_NEED_MAIL = reply(503, '5.5.1', 'Bad sequence of commands: need MAIL command');
export const REPLY_BAD_SEQUENCE_NEED_RCPT = reply(503, '5.5.1', 'Bad sequence of commands: need RCPT command');
export const REPLY_NO_VALID_RECIPIENTS = reply(554, '5.5.1', 'No valid recipients');
export const REPLY_TOO_MANY_RECIPIENTS = reply(452, '4.5.3', 'Too many recipients');
export const REPLY_MESSAGE_TOO_BIG = reply(552, '5.3.4', 'Message size exceeds fixed maximum message size');
export const REPLY_HELO_SYNTAX = reply(501, '5.5.4', 'Syntax: EHLO/HELO domain');
export const REPLY_NO_ARGUMENTS_ALLOWED = reply(501, '5.5.4', 'Syntax error: no parameters allowed');
export const REPLY_VRFY_SYNTAX = reply(501, '5.5.4', 'Syntax: VRFY address');
export const REPLY_REFUSED_SEND_QUIT = reply(503, '5.5.1', 'Bad sequence of commands: service refused, send QUIT');
export const REPLY_DATA_AFTER_BDAT = reply(503, '5.5.1', 'Bad sequence of commands: DATA not allowed after BDAT in one transaction');
export const REPLY_BINARYMIME_NEEDS_BDAT = reply(503, '5.5.1', 'Bad sequence of commands: BODY=BINARYMIME requires BDAT');
export const REPLY_NON_ASCII_ADDRESS = reply(553, '5.6.7', 'Non-ASCII address requires SMTPUTF8');

export const REPLY_HOOK_FAILED = reply(451, '4.3.0', 'Temporary local problem, try again later');
export const REPLY_TIMEOUT = reply(421, '4.4.2', 'Timeout exceeded, closing connection');
export const REPLY_SHUTTING_DOWN = reply(421, '4.3.2', 'Service shutting down, closing connection');
export const REPLY_TOO_MANY_CONNECTIONS = reply(421, '4.7.0', 'Too many connections, try again later');
export const REPLY_TOO_MANY_ERRORS = reply(421, '4.7.0', 'Too many errors, closing connection');
export const REPLY_NOT_SMTP = reply(421, '4.7.0', 'This is an SMTP server, not an HTTP server; closing connection');

// STARTTLS (RFC 3207)
export const REPLY_READY_FOR_TLS = reply(220, '2.0.0', 'Ready to start TLS');
export const REPLY_TLS_REQUIRED = reply(530, '5.7.0', 'Must issue a STARTTLS command first');
export const REPLY_TLS_ACTIVE = reply(503, '5.5.1', 'TLS already active');
export const REPLY_TLS_NOT_AVAILABLE = reply(454, '4.7.0', 'TLS not available');

// AUTH (RFC 4954)
export const REPLY_AUTH_OK = reply(235, '2.7.0', 'Authentication successful');
export const REPLY_AUTH_REFUSED = reply(535, '5.7.8', 'Authentication credentials invalid');
export const REPLY_AUTH_CANCELLED = reply(501, '5.0.0', 'Authentication cancelled');
export const REPLY_AUTH_UNKNOWN_MECHANISM = reply(504, '5.5.4', 'Unrecognized authentication type');
export const REPLY_AUTH_ALREADY = reply(503, '5.5.1', 'Already authenticated');
export const REPLY_AUTH_IN_TRANSACTION = reply(503, '5.5.1', 'AUTH not permitted during a mail transaction');
