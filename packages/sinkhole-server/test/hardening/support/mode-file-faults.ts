import { execFileSync } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { writeAtomically } from '@sinkhole/test-kit';

/** What happens to the mode file. */
export type FileFaultName = 'deleted' | 'directory' | 'fifo' | 'truncated' | 'too-large' | 'unreadable';

/** Expected ERR_MODE_SOURCE_* code of the provider for each fault. */
export const FILE_FAULT_CODES: Readonly<Record<FileFaultName, string>> = {
  deleted: 'ERR_MODE_SOURCE_NOT_FOUND',
  directory: 'ERR_MODE_SOURCE_FAILED',
  fifo: 'ERR_MODE_SOURCE_FAILED',
  truncated: 'ERR_MODE_SOURCE_EMPTY',
  'too-large': 'ERR_MODE_SOURCE_TOO_LARGE',
  unreadable: 'ERR_MODE_SOURCE_FAILED',
};

/** Breaks the mode file at `path` in the given way. */
export async function breakModeFile(path: string, fault: FileFaultName): Promise<void> {
  switch (fault) {
    case 'deleted':
      await rm(path, { force: true });
      return;
    case 'directory':
      await rm(path, { force: true });
      await mkdir(path);
      return;
    case 'fifo':
      await rm(path, { force: true });
      execFileSync('mkfifo', [path]);
      return;
    case 'truncated':
      // In place, as `: > file` does: the file is there, and empty.
      await writeFile(path, '');
      return;
    case 'too-large':
      await writeAtomically(path, `accept\n${'#'.repeat(100 * 1024)}\n`);
      return;
    case 'unreadable':
      await chmod(path, 0o000);
      return;
  }
}

/** Puts a readable regular file holding `text` back, whatever is at `path` now. */
export async function restoreModeFile(path: string, text: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
  await writeAtomically(path, text);
}

/** The uid/gid the server runs as in the unreadable case: root reads anything, so nobody. */
export function unprivilegedUser(): { readonly uid: number; readonly gid: number } | undefined {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
}
