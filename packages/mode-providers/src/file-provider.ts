import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { ModeProvider } from './mode-provider.js';
import { ModeSourceError } from './mode-source-error.js';

/** Largest mode file read; a larger one is an error, never a partial read. */
export const MAX_MODE_FILE_BYTES = 64 * 1024;

/**
 * A stat per lookup is cheap, so the cache asks on every new connection: a change shows at
 * the next connection (`echo bounce > mode; swaks ...` gets bounce).
 */
export const FILE_RECOMMENDED_TTL_MS = 0;

export interface FileModeProviderOptions {
  readonly path: string;
}

// Opening a FIFO for reading blocks until a writer appears; O_NONBLOCK makes
// open return at once so the not-a-regular-file check below can refuse it.
// It does not change reads of regular files. Windows has no such flag.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What tells one version of the file from another: device, inode, size, mtime and ctime, in ns. */
function identity(stats: { dev: bigint; ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint }): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

/**
 * The mode text from a file. Each lookup is one stat; the file is read in full again
 * when its inode (an atomic replace), size, mtime or ctime changed, so an edit shows
 * at the next lookup. A missing, empty, oversized or non-regular file is an error.
 */
export function fileModeProvider(options: FileModeProviderOptions): ModeProvider {
  const { path } = options;
  const name = `file:${path}`;
  let last: { readonly identity: string; readonly text: string } | undefined;
  return {
    name,
    recommendedTtlMs: FILE_RECOMMENDED_TTL_MS,
    lookup: async () => {
      let seen: string;
      try {
        const stats = await stat(path, { bigint: true });
        // A FIFO or directory is refused by the read below, with its own message.
        seen = stats.isFile() ? identity(stats) : '';
      } catch (error) {
        last = undefined;
        throw fileError(error, name);
      }
      if (last !== undefined && seen !== '' && seen === last.identity) return last.text;
      last = undefined;
      const read = await readModeFile(path, name);
      // Keyed by what was read, so a change between the stat and the read is seen next time.
      if (read.identity === seen) last = read;
      return read.text;
    },
  };
}

async function readModeFile(path: string, name: string): Promise<{ readonly identity: string; readonly text: string }> {
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw fileError(error, name);
  }
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) {
      throw new ModeSourceError('ERR_MODE_SOURCE_FAILED', 'is not a regular file', name);
    }
    // One byte more than the cap tells "too large" apart from "exactly the cap",
    // and the file may grow between stat and read.
    const buffer = Buffer.alloc(MAX_MODE_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_MODE_FILE_BYTES) {
      throw new ModeSourceError(
        'ERR_MODE_SOURCE_TOO_LARGE',
        `is larger than ${MAX_MODE_FILE_BYTES} bytes`,
        name,
      );
    }
    return { identity: identity(stats), text: buffer.toString('utf8', 0, length) };
  } catch (error) {
    throw fileError(error, name);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function fileError(error: unknown, name: string): ModeSourceError {
  if (error instanceof ModeSourceError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ModeSourceError('ERR_MODE_SOURCE_NOT_FOUND', 'does not exist', name, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModeSourceError('ERR_MODE_SOURCE_FAILED', `cannot be read: ${message}`, name, {
    cause: error,
  });
}
