import { buildDataPayload } from './message-body.js';

/** Every byte sequence a session writes, built once per run and shared by all sessions. */
export interface CommandBytes {
  readonly ehlo: Buffer;
  readonly starttls: Buffer;
  readonly mail: Buffer;
  readonly rcpt: Buffer;
  readonly data: Buffer;
  readonly rset: Buffer;
  readonly quit: Buffer;
  /** The message and its "." terminator. */
  readonly payload: Buffer;
  /** Pipelined groups (RFC 2920): MAIL RCPT DATA, RSET MAIL RCPT DATA, body + next group, body + QUIT. */
  readonly group: Buffer;
  readonly rsetGroup: Buffer;
  readonly payloadGroup: Buffer;
  readonly payloadQuit: Buffer;
}

export function buildCommandBytes(heloName: string, messageSize: number, rcptTo = 'sink@server.test'): CommandBytes {
  const line = (text: string): Buffer => Buffer.from(`${text}\r\n`, 'latin1');
  const mail = line('MAIL FROM:<bench@client.test>');
  const rcpt = line(`RCPT TO:<${rcptTo}>`);
  const data = line('DATA');
  const rset = line('RSET');
  const quit = line('QUIT');
  const payload = buildDataPayload(messageSize);
  const group = Buffer.concat([mail, rcpt, data]);
  return {
    ehlo: line(`EHLO ${heloName}`),
    starttls: line('STARTTLS'),
    mail,
    rcpt,
    data,
    rset,
    quit,
    payload,
    group,
    rsetGroup: Buffer.concat([rset, group]),
    payloadGroup: Buffer.concat([payload, group]),
    payloadQuit: Buffer.concat([payload, quit]),
  };
}
