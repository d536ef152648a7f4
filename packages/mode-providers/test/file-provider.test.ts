import { execFileSync } from 'node:child_process';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CachedModeProvider,
  FILE_RECOMMENDED_TTL_MS,
  MAX_MODE_FILE_BYTES,
  ModeSourceError,
  fileModeProvider,
  type ModeProvider,
} from '../src/index.js';
import { createManualClock } from '../test-support/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mode-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(provider: ModeProvider): Promise<ModeSourceError> {
  const error: unknown = await provider.lookup().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ModeSourceError)) throw new Error(`expected a ModeSourceError, got ${String(error)}`);
  return error;
}

describe('fileModeProvider', () => {
  it('reads the mode, ignoring the trailing newline editors add', async () => {
    const path = join(dir, 'mode');
    await writeFile(path, 'reply:451 4.7.1 Try later\n');
    const provider = fileModeProvider({ path });
    expect(provider.name).toBe(`file:${path}`);
    expect(provider.recommendedTtlMs).toBe(FILE_RECOMMENDED_TTL_MS);
    await expect(provider.lookup()).resolves.toEqual({
      kind: 'reply',
      code: 451,
      enhanced: '4.7.1',
      text: 'Try later',
    });
  });

  it('behind the cache, picks up an edit within one TTL, and an atomic replace too', async () => {
    const path = join(dir, 'mode');
    await writeFile(path, 'defer\n');
    const clock = createManualClock();
    const cache = new CachedModeProvider(fileModeProvider({ path }), { clock, scheduler: clock });
    await expect(cache.current()).resolves.toEqual({ kind: 'defer' });

    await writeFile(path, 'accept\n');
    clock.advance(FILE_RECOMMENDED_TTL_MS - 1);
    expect(cache.current()).toEqual({ kind: 'defer' });
    clock.advance(1);
    await expect(cache.current()).resolves.toEqual({ kind: 'accept' });

    // Editors such as vim write a new file and rename it over the old one.
    await writeFile(join(dir, 'mode.tmp'), 'bounce');
    await rename(join(dir, 'mode.tmp'), path);
    clock.advance(FILE_RECOMMENDED_TTL_MS);
    await expect(cache.current()).resolves.toEqual({ kind: 'bounce' });
  });

  it('a missing file is an error, not a mode', async () => {
    const error = await failure(fileModeProvider({ path: join(dir, 'absent') }));
    expect(error.code).toBe('ERR_MODE_SOURCE_NOT_FOUND');
    expect(error.source).toBe(`file:${join(dir, 'absent')}`);
    expect((await failure(fileModeProvider({ path: join(dir, 'absent', 'deeper') }))).code).toBe(
      'ERR_MODE_SOURCE_NOT_FOUND',
    );
  });

  it.each(['', '\n', '  \r\n\t'])('an empty file (%j) is an error, not a mode', async (content) => {
    const path = join(dir, 'mode');
    await writeFile(path, content);
    expect((await failure(fileModeProvider({ path }))).code).toBe('ERR_MODE_SOURCE_EMPTY');
  });

  it('an invalid mode is an error that carries the parse error', async () => {
    const path = join(dir, 'mode');
    await writeFile(path, 'reply:250 5.0.0 contradiction\n');
    const error = await failure(fileModeProvider({ path }));
    expect(error.code).toBe('ERR_MODE_SOURCE_INVALID');
    expect(error.parseError?.code).toBe('ERR_MODE_CLASS_MISMATCH');
  });

  it(`reads a file of exactly MAX_MODE_FILE_BYTES (${MAX_MODE_FILE_BYTES}) and refuses one byte more`, async () => {
    const path = join(dir, 'mode');
    const mode = 'greylist';
    await writeFile(path, mode + ' '.repeat(MAX_MODE_FILE_BYTES - mode.length));
    await expect(fileModeProvider({ path }).lookup()).resolves.toEqual({ kind: 'greylist' });
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

  it('bytes that are not UTF-8 are an invalid mode, not a crash', async () => {
    const path = join(dir, 'mode');
    await writeFile(path, Buffer.from([0x61, 0x63, 0xff, 0xfe, 0x0a]));
    expect((await failure(fileModeProvider({ path }))).code).toBe('ERR_MODE_SOURCE_INVALID');
  });
});
