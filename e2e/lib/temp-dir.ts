// Temporary directories for one test file, readable by the mail user (sendmail delivers DSNs as mail:mail).
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_PARENT, TEMP_PREFIX } from './paths.js';

export async function makeTempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(TEMP_PARENT, `${TEMP_PREFIX}${label}-`));
  await chmod(dir, 0o755);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
