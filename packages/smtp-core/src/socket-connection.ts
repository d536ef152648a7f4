import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { SmtpConnection, type ConnectionStart } from './connection.js';
import type { StartTlsAbort } from './policy.js';
import type { TlsInfo } from './session-info.js';
import { redirectReading, startReading } from './shared-read-buffer.js';
import { upgradeSocket, type ServerTls } from './tls/tls-upgrade.js';

const CONNECTION: unique symbol = Symbol('smtp-connection');
type OwnedSocket = Socket & { [CONNECTION]: SocketConnection };

// One set of listener functions for all sockets (`this` is the socket), instead of six
// closures per connection: it matters with thousands of idle connections.
function onData(this: OwnedSocket, chunk: Buffer): void {
  this[CONNECTION].received(chunk);
}
function onEnd(this: OwnedSocket): void {
  this[CONNECTION].peerEnded();
}
function onDrain(this: OwnedSocket): void {
  this[CONNECTION].drained();
}
function onError(this: OwnedSocket, error: Error): void {
  this[CONNECTION].failed(error);
}
function onClose(this: OwnedSocket): void {
  this[CONNECTION].closed();
}
function destroyWhenFinished(this: Socket): void {
  this.destroy();
}

/** A connection on a `net.Socket`: the one kind that can do STARTTLS (the TLS socket goes on top of it). */
export class SocketConnection extends SmtpConnection {
  /** The TCP socket, or after STARTTLS the TLS socket on top of it. */
  #socket: OwnedSocket;
  readonly #tls: ServerTls | undefined;

  constructor(socket: Socket, start: ConnectionStart, tls?: ServerTls) {
    super(start);
    this.#socket = this.#own(socket);
    this.#tls = tls;
    socket.on('close', onClose);
    startReading(socket, this);
    this.startSession(start, socket.remoteAddress ?? '', socket.remotePort ?? 0, socket);
  }

  protected send(bytes: Buffer): boolean {
    const socket = this.#socket;
    if (socket.write(bytes)) return true;
    // Listened for only while needed: most connections never fill the socket's buffer.
    if (socket.listenerCount('drain') === 0) socket.once('drain', onDrain);
    return false;
  }

  protected halfClose(): void {
    this.#socket.end();
  }

  protected resetNow(): void {
    this.#socket.resetAndDestroy();
  }

  protected setPaused(paused: boolean): void {
    if (paused) this.#socket.pause();
    else this.#socket.resume();
  }

  protected destroyNow(): void {
    this.#socket.destroy();
  }

  protected destroyWhenFlushed(): void {
    const socket = this.#socket;
    if (socket.writableFinished) socket.destroy();
    else socket.once('finish', destroyWhenFinished);
  }

  tlsAvailable(): boolean {
    return this.#tls?.available === true;
  }

  startTls(abort: StartTlsAbort | undefined, done: (tls: TlsInfo) => void): void {
    const tls = this.#tls;
    if (tls === undefined) throw new Error('startTls without TLS configured');
    const plain = this.#socket;
    // From here the TLS layer reads the socket; the plain-text listeners must not see its bytes.
    redirectReading(plain, undefined);
    plain.off('end', onEnd);
    plain.off('drain', onDrain);
    upgradeSocket(plain, tls, abort, {
      secured: (secure: TLSSocket) => {
        this.#socket = this.#own(secure);
        this.readingPaused = false;
        secure.on('data', onData);
        this.touched();
        done({ protocol: secure.getProtocol() ?? 'unknown', cipher: secure.getCipher().standardName ?? secure.getCipher().name });
      },
      failed: (reason) => {
        this.closingBecause(reason === 'tls-handshake-timeout' ? 'tls-timeout' : reason.startsWith('starttls-') ? 'tls-aborted' : 'tls-failed');
      },
    });
  }

  #own(socket: Socket): OwnedSocket {
    const owned = socket as OwnedSocket;
    owned[CONNECTION] = this;
    socket.on('end', onEnd);
    socket.on('error', onError);
    return owned;
  }
}
