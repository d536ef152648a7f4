import { createServer, type Server, type Socket } from 'node:net';

/**
 * The minimal hand-written node:net SMTP sink: fixed replies, no parsing beyond the first
 * four letters of a command, no logging, no limits. It is the ceiling for any SMTP server
 * written in Node on this machine, so every other target is reported as a ratio of it.
 * Replies to the commands of one chunk go out in one write, as a pipelining server should.
 * Mode 'defer' answers RCPT with 421 and half-closes, like the sinkhole's defer mode.
 */
export function createNodeSink(mode: 'accept' | 'defer'): Server {
  const defer = mode === 'defer';
  const server = createServer({ noDelay: true }, (socket) => serve(socket, defer));
  server.maxConnections = 1_000_000;
  return server;
}

const GREETING = Buffer.from('220 sink.test ESMTP node-sink\r\n', 'latin1');
const EHLO = '250-sink.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 104857600\r\n';
const OK = '250 2.0.0 OK\r\n';
const START_DATA = '354 End data with <CR><LF>.<CR><LF>\r\n';
const QUEUED = '250 2.0.0 Ok: queued\r\n';
const BYE = '221 2.0.0 Bye\r\n';
const DEFER = '421 4.3.2 Service temporarily unavailable\r\n';
const UNKNOWN = '502 5.5.2 Command not recognized\r\n';
const TERMINATOR = Buffer.from('\r\n.\r\n', 'latin1');

function serve(socket: Socket, defer: boolean): void {
  socket.setNoDelay(true);
  let pending: Buffer | null = null; // incomplete command line
  let inData = false;
  let tail: Buffer = Buffer.from('\r\n', 'latin1'); // last bytes seen in DATA; "\r\n" so ".\r\n" right after 354 ends it
  let closing = false;

  socket.on('data', (chunk: Buffer) => {
    if (closing) return; // draining after 421 or QUIT
    let out = '';
    let pos = 0;
    let buf = chunk;
    if (pending !== null && !inData) {
      buf = Buffer.concat([pending, chunk]);
      pending = null;
    }
    while (pos < buf.length) {
      if (inData) {
        const end = findTerminator(tail, buf, pos);
        if (end === -1) {
          tail = lastBytes(tail, buf.subarray(pos));
          pos = buf.length;
          break;
        }
        inData = false;
        out += QUEUED;
        pos = end;
        continue;
      }
      const eol = buf.indexOf(10, pos);
      if (eol === -1) {
        pending = Buffer.from(buf.subarray(pos));
        break;
      }
      const verb = (buf[pos]! | 0x20) * 16777216 + (buf[pos + 1]! | 0x20) * 65536 + (buf[pos + 2]! | 0x20) * 256 + (buf[pos + 3]! | 0x20);
      pos = eol + 1;
      switch (verb) {
        case HELO:
        case EHLO_VERB:
          out += EHLO;
          break;
        case RCPT:
          if (defer) {
            out += DEFER;
            closing = true;
          } else {
            out += OK;
          }
          break;
        case DATA:
          out += START_DATA;
          inData = true;
          tail = Buffer.from('\r\n', 'latin1');
          break;
        case QUIT:
          out += BYE;
          closing = true;
          break;
        case MAIL:
        case RSET:
        case NOOP:
          out += OK;
          break;
        default:
          out += UNKNOWN;
      }
      if (closing) break;
    }
    if (out.length > 0) socket.write(out, 'latin1');
    if (closing) socket.end();
  });
  socket.on('error', () => socket.destroy());
  socket.write(GREETING);
}

function code(word: string): number {
  return word.charCodeAt(0) * 16777216 + word.charCodeAt(1) * 65536 + word.charCodeAt(2) * 256 + word.charCodeAt(3);
}
const HELO = code('helo');
const EHLO_VERB = code('ehlo');
const MAIL = code('mail');
const RCPT = code('rcpt');
const DATA = code('data');
const RSET = code('rset');
const NOOP = code('noop');
const QUIT = code('quit');

/** Index just past "\r\n.\r\n" in buf from `from`, also when it straddles the previous chunk's tail; -1 if absent. */
function findTerminator(tail: Buffer, buf: Buffer, from: number): number {
  const head = Buffer.concat([tail, buf.subarray(from, from + 4)]);
  const across = head.indexOf(TERMINATOR);
  if (across !== -1) return from + across + TERMINATOR.length - tail.length;
  const inside = buf.indexOf(TERMINATOR, from);
  return inside === -1 ? -1 : inside + TERMINATOR.length;
}

function lastBytes(tail: Buffer, rest: Buffer): Buffer {
  if (rest.length >= 4) return Buffer.from(rest.subarray(rest.length - 4));
  return Buffer.concat([tail, rest]).subarray(-4);
}

