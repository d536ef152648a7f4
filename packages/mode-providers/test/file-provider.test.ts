import { execFileSync } from 'node:child_process';
import { mkdtemp, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CachedModeProvider,
  FILE_RECOMMENDED_TTL_MS,
  MAX_MODE_FILE_BYTES,
  fileModeProvider,
} from '../src/index.js';
import { failure } from './helpers/failure.js';
import { createManualClock } from '@sinkhole/test-kit';
import { TEST_MODES } from './helpers/test-modes.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mode-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fileModeProvider', () => {
  it('reads the text as stored; what it means is the interpreter\'s business', async () => {
    const path = join(dir, 'mode');
    await writeFile(path, 'reply:451 4.7.1 Try later\n');
    const provider = fileModeProvider({ path });
    expect(provider.name).toBe(`file:${path}`);
    expect(provider.recommendedTtlMs).toBe(FILE_RECOMMENDED_TTL_MS);
    await expect(provider.lookup()).resolves.toBe('reply:451 4.7.1 Try later\n');
  });

  it('behind the cache (TTL 0: a stat per connection), a write shows at the very next lookup, and an atomic replace too', async () => {
    const path = join(dir, 'mode');
    await writeFile(path, 'defer\n');
    const clock = createManualClock();
    const cache = new CachedModeProvider(fileModeProvider({ path }), TEST_MODES, { clock, scheduler: clock });
    expect(cache.ttlMs).toBe(0);
    await expect(cache.current()).resolves.toEqual({ kind: 'defer' });
    await writeFile(path, 'bounce\n');
    await expect(cache.current()).resolves.toEqual({ kind: 'bounce' });
    // Editors such as vim write a new file and rename it over the old one.
    await writeFile(join(dir, 'mode.tmp'), 'accept\n');
    await rename(join(dir, 'mode.tmp'), path);
    await expect(cache.current()).resolves.toEqual({ kind: 'accept' });
  });

  it('re-reads only when the inode, size, mtime or ctime changed', async () => {
    const path = join(dir, 'mode');
    await writeFile(path, 'accept');
    const provider = fileModeProvider({ path });
    await expect(provider.lookup()).resolves.toBe('accept');
    const before = await stat(path);
    // Same inode, same size, the mtime put back: the ctime still tells.
    await writeFile(path, 'bounce');
    await utimes(path, before.atime, before.mtime);
    await expect(provider.lookup()).resolves.toBe('bounce');
    await expect(provider.lookup()).resolves.toBe('bounce');
    await writeFile(path, 'greylist');
    await expect(provider.lookup()).resolves.toBe('greylist');
    await rm(path);
    expect((await failure(provider)).code).toBe('ERR_MODE_SOURCE_NOT_FOUND');
    await writeFile(path, 'defer');
    await expect(provider.lookup()).resolves.toBe('defer');
  });

  it('a missing file is an error, not a mode', async () => {
    const error = await failure(fileModeProvider({ path: join(dir, 'absent') }));
    expect(error.code).toBe('ERR_MODE_SOURCE_NOT_FOUND');
    expect(error.source).toBe(`file:${join(dir, 'absent')}`);
    expect((await failure(fileModeProvider({ path: join(dir, 'absent', 'deeper') }))).code).toBe(
      'ERR_MODE_SOURCE_NOT_FOUND',
    );
  });

  it.each(['', '\n', '  \r\n\t'])('an empty file (%j) is an error behind the cache, not a mode', async (content) => {
    const path = join(dir, 'mode');
    await writeFile(path, content);
    const cache = new CachedModeProvider(fileModeProvider({ path }), TEST_MODES);
    await expect(cache.current()).resolves.toEqual({ kind: 'defer' });
    expect(cache.lastError?.code).toBe('ERR_MODE_SOURCE_EMPTY');
  });

  it(`reads a file of exactly MAX_MODE_FILE_BYTES (${MAX_MODE_FILE_BYTES}) and refuses one byte more`, async () => {
    const path = join(dir, 'mode');
    const mode = 'greylist';
    await writeFile(path, mode + ' '.repeat(MAX_MODE_FILE_BYTES - mode.length));
    await expect(fileModeProvider({ path }).lookup()).resolves.toBe(mode + ' '.repeat(MAX_MODE_FILE_BYTES - mode.length));
    await writeFile(path, mode + ' '.repeat(MAX_MODE_FILE_BYTES - mode.length + 1));
    expect((await failure(fileModeProvider({ path }))).code).toBe('ERR_MODE_SOURCE_TOO_LARGE');
  });

  it('refuses a directory', async () => {
    const error = await failure(fileModeProvider({ path: dir }));
    expect(error.code).toBe('ERR_MODE_SOURCE_FAILED');
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO at once instead of blocking for a writer', async () => {
    const path = join(dir, 'fifo');
    execFileSync('mkfifo', [path]);
    const error = await failure(fileModeProvider({ path }));
    expect(error.code).toBe('ERR_MODE_SOURCE_FAILED');
    expect(error.message).toContain('not a regular file');
  });

  it('bytes that are not UTF-8 become replacement characters (an invalid mode for the interpreter), not a crash', async () => {
    const path = join(dir, 'mode');
    await writeFile(path, Buffer.from([0x61, 0x63, 0xff, 0xfe, 0x0a]));
    await expect(fileModeProvider({ path }).lookup()).resolves.toBe('ac\ufffd\ufffd\n');
  });
});
