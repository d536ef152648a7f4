import { SmtpConnection, type ConnectionStart } from './connection.js';
import { sharedReadBuffer } from './shared-read-buffer.js';
import { bytesRead, handleError, localOf, peerOf, shutdownRequest, UV_EOF, writeBytes, type ShutdownRequest, type TcpHandle, type WriteRequest } from './tcp-handle.js';

/** Bytes of unfinished writes past which send() reports a full buffer, as a socket's writableHighWaterMark does. */
export const HANDLE_WRITE_HIGH_WATER_BYTES = 16 * 1024;

const CONNECTION: unique symbol = Symbol('smtp-connection');
type OwnedHandle = TcpHandle & { [CONNECTION]: HandleConnection };

// One function of each kind for every handle and request (`this` is the handle or the
// request), as lib/net.js does: no closure per connection.
function onRead(this: TcpHandle): void {
  const connection = (this as OwnedHandle)[CONNECTION];
  const n = bytesRead();
  if (n > 0) connection.received(sharedReadBuffer().subarray(0, n));
  else if (n === UV_EOF) connection.inputEnded();
  else if (n < 0) connection.broke(n, 'read');
}
function onWritten(this: WriteRequest, status: number): void {
  (this.owner as HandleConnection).written(this, status);
}
function onShutdown(this: ShutdownRequest): void {
  (this.owner as HandleConnection).shutDown();
}
function onClosed(this: TcpHandle): void {
  (this as OwnedHandle)[CONNECTION].closed();
}

/**
 * A plain TCP connection on its libuv handle, without a `net.Socket` (see tcp-handle.ts for
 * why). Reads go into the process's shared read buffer; writes that the kernel takes at once
 * (nearly all) complete inside writeBuffer(), the others are held by their request until done.
 */
export class HandleConnection extends SmtpConnection {
  readonly #handle: OwnedHandle;
  /** Bytes written but not yet taken by the kernel (0: every write is done). */
  #unflushed = 0;
  #full = false;
  #inputEnded = false;
  #shutdown: 'no' | 'asked' | 'done' = 'no';
  #destroyWhenFlushed = false;
  #closing = false;

  constructor(handle: TcpHandle, start: ConnectionStart) {
    super(start);
    this.#handle = handle as OwnedHandle;
    this.#handle[CONNECTION] = this;
    handle.onread = onRead;
    handle.useUserBuffer(sharedReadBuffer());
    handle.setNoDelay(true);
    const peer = peerOf(handle);
    this.startSession(start, peer.address, peer.port, this);
    if (!this.#closing && !this.readingPaused) handle.readStart();
  }

  // The local end, asked of the kernel on first use (most sessions never ask): the session
  // reads it from here, so no object per connection holds it.

  get localAddress(): string | undefined {
    return localOf(this.#handle).address || undefined;
  }

  get localPort(): number | undefined {
    return localOf(this.#handle).port || undefined;
  }

  protected send(bytes: Buffer): boolean {
    if (this.#closing || this.#shutdown !== 'no' || bytes.length === 0) return true;
    const pending = writeBytes(this.#handle, bytes, this, onWritten);
    if (pending === undefined) return true;
    if (typeof pending === 'number') {
      this.broke(pending, 'write');
      return true;
    }
    this.#unflushed += bytes.length;
    if (this.#unflushed < HANDLE_WRITE_HIGH_WATER_BYTES) return true;
    this.#full = true;
    return false;
  }

  /** An unfinished write is done (or failed, or was cancelled by a close). */
  written(request: WriteRequest, status: number): void {
    this.#unflushed -= request.bytes;
    request.buffer = null;
    if (this.#closing) return;
    if (status < 0) {
      this.broke(status, 'write');
      return;
    }
    if (this.#unflushed > 0) return;
    if (this.#destroyWhenFlushed) {
      this.destroyNow();
      return;
    }
    if (this.#full) {
      this.#full = false;
      this.drained();
    }
  }

  protected halfClose(): void {
    if (this.#closing || this.#shutdown !== 'no') return;
    this.#shutdown = 'asked';
    // libuv sends the FIN after the writes still queued.
    const status = this.#handle.shutdown(shutdownRequest(this.#handle, this, onShutdown));
    if (status !== 0) this.shutDown();
  }

  /** Our FIN is out (or the socket could not send one): with the peer's already in, both sides are done. */
  shutDown(): void {
    this.#shutdown = 'done';
    if (this.#inputEnded) this.destroyNow();
  }

  protected resetNow(): void {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#handle.reset(onClosed) !== 0) this.#handle.close(onClosed);
  }

  protected setPaused(paused: boolean): void {
    if (this.#closing) return;
    if (paused) this.#handle.readStop();
    else if (!this.#inputEnded) this.#handle.readStart();
  }

  protected destroyNow(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#handle.close(onClosed);
  }

  protected destroyWhenFlushed(): void {
    if (this.#unflushed === 0) this.destroyNow();
    else this.#destroyWhenFlushed = true;
  }

  /** The peer's FIN. */
  inputEnded(): void {
    if (this.#inputEnded) return;
    this.#inputEnded = true;
    this.peerEnded();
    if (this.#shutdown === 'done') this.destroyNow();
  }

  /** A read or write failed (a reset, a broken pipe): reported, then the connection closes. */
  broke(status: number, syscall: string): void {
    if (this.#closing) return;
    this.failed(handleError(status, syscall));
    this.destroyNow();
  }
}
