import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { modeFromSourceText } from './mode-from-text.js';
import type { ModeProvider } from './mode-provider.js';
import { ModeSourceError } from './mode-source-error.js';

/** Largest mode file read; a larger one is an error, never a partial read. */
export const MAX_MODE_FILE_BYTES = 64 * 1024;

/** Re-reading a small file is cheap, so edits show within a second. */
export const FILE_RECOMMENDED_TTL_MS = 1_000;

export interface FileModeProviderOptions {
  readonly path: string;
}

// Opening a FIFO for reading blocks until a writer appears; O_NONBLOCK makes
// open return at once so the not-a-regular-file check below can refuse it.
// It does not change reads of regular files. Windows has no such flag.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The mode from a file, read in full on every lookup: no mtime or size
 * tricks, so atomic replaces (rename over) and coarse mtimes are no problem.
 * A missing, empty, oversized or non-regular file is an error, not a mode.
 */
export function fileModeProvider(options: FileModeProviderOptions): ModeProvider {
  const { path } = options;
  const name = `file:${path}`;
  return {
    name,
    recommendedTtlMs: FILE_RECOMMENDED_TTL_MS,
    lookup: async () => modeFromSourceText(await readModeFile(path, name), name),
  };
}

async function readModeFile(path: string, name: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw fileError(error, name);
  }
  try {
    const stats = await handle.stat();
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
    return buffer.toString('utf8', 0, length);
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
