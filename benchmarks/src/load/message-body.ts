/**
 * Builds the DATA payload the load client sends: a few headers, then 76-character lines of
 * printable text up to exactly `size` bytes, then the end-of-data marker "." CRLF.
 * No line starts with "." so no dot-stuffing is needed; the same Buffer is shared by all sessions.
 */
const HEADER =
  'From: <bench@client.test>\r\n' +
  'To: <sink@server.test>\r\n' +
  'Subject: sinkhole benchmark\r\n' +
  'Message-ID: <bench@client.test>\r\n' +
  'Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n' +
  'MIME-Version: 1.0\r\n' +
  'Content-Type: text/plain; charset=us-ascii\r\n' +
  '\r\n';
const LINE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmn\r\n'; // 78 bytes

/** The message (headers + body, CRLF line endings) of exactly `size` bytes, without the terminator. */
export function buildMessage(size: number): Buffer {
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`message size must be a non-negative integer, got ${size}`);
  let text = HEADER.length <= size ? HEADER : '';
  while (text.length + LINE.length <= size) text += LINE;
  const rest = size - text.length;
  if (rest >= 3) text += `${'z'.repeat(rest - 2)}\r\n`;
  else text += 'z'.repeat(rest); // 0..2 bytes: a final partial line
  return Buffer.from(text, 'latin1');
}

/** The bytes sent after the server's 354: the message and the end-of-data marker. */
export function buildDataPayload(size: number): Buffer {
  const message = buildMessage(size);
  const endsWithCrlf = message.length >= 2 && message[message.length - 2] === 0x0d && message[message.length - 1] === 0x0a;
  return Buffer.concat([message, Buffer.from(endsWithCrlf ? '.\r\n' : '\r\n.\r\n', 'latin1')]);
}
