import { chmod, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh directory `<parent>/sinkhole-<label>-XXXXXX`, mode 0755 (readable by another user:
 * sendmail delivers DSNs as mail:mail, and some tests run the server as nobody).
 */
export async function makeTempDir(label: string, parent: string = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, `sinkhole-${label}-`));
  await chmod(dir, 0o755);
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Replaces a file the way operators should: write a sibling, then rename over (never half a file). */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}
