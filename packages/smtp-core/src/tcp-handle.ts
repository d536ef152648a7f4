import type { Server } from 'node:net';
import { getSystemErrorName } from 'node:util';

/**
 * Plain TCP connections driven on libuv's handle directly, without a `net.Socket` per
 * connection.
 *
 * A `net.Socket` is a Duplex stream: a readable and a writable state, an event emitter and a
 * dozen closures and buffers around the handle, built for every connection and collected after
 * it. The engine uses none of that: it frames its own input, keeps its own output buffer and
 * its own idle deadline. Measured against the minimal node:net sink, the sockets cost about
 * 5 KB per idle connection (107 MB for 10,000 against 58 MB on handles) and a third of the CPU
 * of a one-message connection. So this file, and only this file, uses the handle API that
 * lib/net.js is written on: `onconnection` of the listening handle, `onread` with the nread in
 * `streamBaseState`, `writeBuffer` with a `WriteWrap`, `shutdown` with a `ShutdownWrap`,
 * `reset`, `close`, `getpeername`/`getsockname`, the same on Node 20 and 24. They are reached
 * through `process.binding('stream_wrap')`, which Node keeps for this kind of use; when it or
 * any method is missing, {@link handleSupport} says so and the server uses sockets.
 */

/** libuv's end of stream. */
export const UV_EOF = -4095;

interface StreamState {
  readonly [index: number]: number;
}

interface StreamBinding {
  readonly WriteWrap: new () => WriteRequest;
  readonly ShutdownWrap: new () => ShutdownRequest;
  readonly streamBaseState: StreamState;
  readonly kReadBytesOrError: number;
  readonly kLastWriteWasAsync: number;
}

/** What the engine needs of a connected TCP handle (a `TCPWrap`). */
export interface TcpHandle {
  onread: ((this: TcpHandle) => void) | null;
  readStart(): number;
  readStop(): number;
  useUserBuffer(buffer: Buffer): void;
  writeBuffer(request: WriteRequest, bytes: Buffer): number;
  shutdown(request: ShutdownRequest): number;
  /** `onClose` is called with the handle as `this`, as lib/net.js relies on. */
  reset(onClose: (this: TcpHandle) => void): number;
  close(onClose: (this: TcpHandle) => void): void;
  getpeername(out: { address?: string; port?: number }): number;
  getsockname(out: { address?: string; port?: number }): number;
  setNoDelay(on: boolean): number;
}

export interface WriteRequest {
  handle: TcpHandle;
  oncomplete: (this: WriteRequest, status: number) => void;
  async: boolean;
  bytes: number;
  buffer: Buffer | null;
  owner: unknown;
}

export interface ShutdownRequest {
  handle: TcpHandle;
  oncomplete: (this: ShutdownRequest, status: number) => void;
  owner: unknown;
}

type ListeningHandle = { onconnection?: (error: number, handle: TcpHandle | undefined) => void };

const HANDLE_METHODS = ['readStart', 'readStop', 'useUserBuffer', 'writeBuffer', 'shutdown', 'reset', 'close', 'getpeername', 'getsockname', 'setNoDelay'] as const;

let binding: StreamBinding | null | undefined;

function streamBinding(): StreamBinding | null {
  if (binding !== undefined) return binding;
  binding = null;
  try {
    const found = (process as unknown as { binding(name: string): Partial<StreamBinding> }).binding('stream_wrap');
    const fit =
      typeof found.WriteWrap === 'function' &&
      typeof found.ShutdownWrap === 'function' &&
      typeof found.kReadBytesOrError === 'number' &&
      typeof found.kLastWriteWasAsync === 'number' &&
      found.streamBaseState !== undefined;
    if (fit) binding = found as StreamBinding;
  } catch {
    // No process.binding (a future Node, or --no-deprecation builds): sockets it is.
  }
  return binding;
}

/** Whether connections can run on handles here: null when they can, else why not. */
export function handleSupport(): string | null {
  return streamBinding() === null ? "process.binding('stream_wrap') is not available in this Node" : null;
}

/**
 * From now on each connection the listening server accepts goes to `accept` as a handle, not
 * as a 'connection' event. Call it once the server listens and before the event loop polls
 * (in the listen callback). Returns false, leaving the server as it was, when this Node or
 * this server does not fit.
 */
export function acceptHandles(server: Server, accept: (handle: TcpHandle) => void): boolean {
  const listening = (server as unknown as { _handle?: ListeningHandle | null })._handle;
  if (streamBinding() === null || listening === undefined || listening === null || typeof listening.onconnection !== 'function') return false;
  let fits: boolean | undefined;
  listening.onconnection = (error, handle) => {
    // Accept errors (EMFILE) leave the connection in the kernel's queue; libuv retries.
    if (error !== 0 || handle === undefined) return;
    // Every accepted handle is a TCPWrap: the first one tells for all.
    fits ??= HANDLE_METHODS.every((m) => typeof (handle as unknown as Record<string, unknown>)[m] === 'function');
    if (fits) accept(handle);
    else handle.close?.(() => {});
  };
  return true;
}

/** Bytes read by the `onread` call in progress (or UV_EOF, or a negative errno). */
export function bytesRead(): number {
  const b = binding as StreamBinding;
  return b.streamBaseState[b.kReadBytesOrError] as number;
}

/**
 * The request of a write that the kernel took at once is never tied to a native write (Node
 * only makes one when the bytes have to wait), so it is kept for the next write instead of a
 * new one per write. A write that has to wait keeps its request until its oncomplete.
 */
let spareRequest: WriteRequest | undefined;

/**
 * Writes bytes on handle. Returns the request when the write has to wait (its `oncomplete`
 * comes later, with `owner` as `this.owner`), undefined when the kernel took every byte, or a
 * negative libuv status.
 */
export function writeBytes(handle: TcpHandle, bytes: Buffer, owner: unknown, oncomplete: WriteRequest['oncomplete']): WriteRequest | number | undefined {
  const b = binding as StreamBinding;
  const request = spareRequest ?? new b.WriteWrap();
  spareRequest = undefined;
  request.handle = handle;
  request.oncomplete = oncomplete;
  request.async = false;
  request.bytes = bytes.length;
  request.buffer = null;
  request.owner = owner;
  const status = handle.writeBuffer(request, bytes);
  if (status === 0 && b.streamBaseState[b.kLastWriteWasAsync] !== 0) {
    request.async = true;
    request.buffer = bytes;
    return request;
  }
  // Nothing refers to the connection from the spare.
  request.owner = null;
  spareRequest = request;
  return status === 0 ? undefined : status;
}

export function shutdownRequest(handle: TcpHandle, owner: unknown, oncomplete: ShutdownRequest['oncomplete']): ShutdownRequest {
  const request = new (binding as StreamBinding).ShutdownWrap();
  request.handle = handle;
  request.oncomplete = oncomplete;
  request.owner = owner;
  return request;
}

/** An Error like the ones net.Socket emits, for a negative libuv status. */
export function handleError(status: number, syscall: string): NodeJS.ErrnoException {
  let code: string;
  try {
    code = getSystemErrorName(status);
  } catch {
    code = `E${-status}`;
  }
  const error: NodeJS.ErrnoException = new Error(`${syscall} ${code}`);
  error.errno = status;
  error.code = code;
  error.syscall = syscall;
  return error;
}

interface Endpoint {
  readonly address: string;
  readonly port: number;
}

/** The peer's address ('' and 0 once the peer has reset: the kernel has forgotten it). */
export function peerOf(handle: TcpHandle): Endpoint {
  const out: { address?: string; port?: number } = {};
  return handle.getpeername(out) === 0 ? { address: out.address ?? '', port: out.port ?? 0 } : { address: '', port: 0 };
}

/** The local end ('' and 0 once the handle is closed). */
export function localOf(handle: TcpHandle): Endpoint {
  const out: { address?: string; port?: number } = {};
  return handle.getsockname(out) === 0 ? { address: out.address ?? '', port: out.port ?? 0 } : { address: '', port: 0 };
}
