import type { Socket } from 'node:net';

/**
 * Reading every plain TCP socket into one buffer shared by the whole process.
 *
 * By default Node allocates a fresh 64 KB buffer for every read of every socket, so a large
 * DATA produces garbage in proportion to its bytes (+28 MB of RSS for a 100 MB message on
 * Node 20, +35 MB on Node 24). Node can read into a caller's buffer instead (the documented
 * `onread: { buffer, callback }` option of `new net.Socket()`), but `net.Server` builds its
 * accepted sockets itself and offers no such option. So this file, and only this file, sets
 * up the same state that option sets up, on an accepted socket that has not started reading
 * yet (the server listens with `pauseOnConnect`): the three `kBuffer*` fields of lib/net.js
 * and the handle's `useUserBuffer()`, as `initSocketHandle()` does (identical on Node 20 and
 * 24); lib/net.js calls the callback as a method of the socket, so one function serves every
 * socket. Anything unexpected (a field missing or already set, no handle) leaves the socket on
 * ordinary 'data' events, which behave the same, only with a buffer per read.
 *
 * One buffer serves every socket because a read is handed to the callback synchronously and
 * the next read (of any socket) only happens after it returns: the chunk must never be kept
 * past the call (the protocol session copies anything it has to hold).
 */

/** How a socket's bytes reach the connection. */
export type ReadPath = 'shared-buffer' | 'data-events';

/** Receives each chunk read; `chunk` is only valid during the call. */
export interface ChunkSink {
  received(chunk: Buffer): void;
}

/** libuv's read size, so a read never stops short because of the buffer. */
export const SHARED_READ_BUFFER_BYTES = 64 * 1024;

/** Options for `net.createServer` that keep accepted sockets from reading until {@link startReading}. */
export const ACCEPT_PAUSED = { pauseOnConnect: true } as const;

interface UserBufferFields {
  readonly buffer: symbol;
  readonly callback: symbol;
  readonly generator: symbol;
}

type Fields = Record<symbol, unknown>;
type Handle = { useUserBuffer?: unknown; reading?: unknown } | null | undefined;

const SINK: unique symbol = Symbol('smtp-chunk-sink');
type Readable = Socket & { [SINK]: ChunkSink };

/** Reads and drops everything (a refused or closing socket). */
export const DISCARD: ChunkSink = { received: () => {} };

// One function for every socket on either path (`this` is the socket, as lib/net.js calls
// both), instead of a closure per connection: it matters with thousands of idle connections.
function onData(this: Readable, chunk: Buffer): void {
  this[SINK].received(chunk);
}
function onSharedRead(this: Readable, bytes: number, buffer: Buffer): void {
  this[SINK].received(buffer.subarray(0, bytes));
}

let sharedBuffer: Buffer | undefined;
/** Found on the first accepted socket and cached; null once the fast path is known not to fit this Node. */
let fields: UserBufferFields | null | undefined;

/**
 * Starts reading an accepted socket that is still paused, handing each chunk to `sink`.
 * Returns which path it took; see the file comment.
 */
export function startReading(socket: Socket, sink: ChunkSink): ReadPath {
  (socket as Readable)[SINK] = sink;
  if (useSharedBuffer(socket)) {
    // Starts the handle reading, as the Socket constructor does; no flowing mode needed.
    socket.read(0);
    return 'shared-buffer';
  }
  socket.on('data', onData);
  socket.resume();
  return 'data-events';
}

/** From now on chunks go to `sink` instead (undefined: read and drop them). */
export function redirectReading(socket: Socket, sink: ChunkSink | undefined): void {
  (socket as Readable)[SINK] = sink ?? DISCARD;
}

/** The one buffer every fast-path read goes into (exported for the test that pins the fast path). */
export function sharedReadBuffer(): Buffer {
  sharedBuffer ??= Buffer.allocUnsafe(SHARED_READ_BUFFER_BYTES);
  return sharedBuffer;
}

function useSharedBuffer(socket: Socket): boolean {
  fields ??= findFields(socket);
  const handle = (socket as unknown as { _handle?: Handle })._handle;
  if (fields === null || typeof handle?.useUserBuffer !== 'function' || handle.reading === true) return false;
  const own = socket as unknown as Fields;
  if (own[fields.buffer] !== null || own[fields.callback] !== null || own[fields.generator] !== null) return false;
  const buffer = sharedReadBuffer();
  handle.useUserBuffer(buffer);
  own[fields.buffer] = buffer;
  own[fields.callback] = onSharedRead;
  return true;
}

/** The socket's own symbol-keyed fields named kBuffer, kBufferCb and kBufferGen, when each exists exactly once. */
function findFields(socket: Socket): UserBufferFields | null {
  const named = (description: string): symbol | undefined => {
    const found = Object.getOwnPropertySymbols(socket).filter((symbol) => symbol.description === description);
    return found.length === 1 ? found[0] : undefined;
  };
  const buffer = named('kBuffer');
  const callback = named('kBufferCb');
  const generator = named('kBufferGen');
  return buffer === undefined || callback === undefined || generator === undefined ? null : { buffer, callback, generator };
}
