// Global setup of the hardening tier: checks what its tests need before any runs, and fails the
// run naming each missing piece (locally as on CI: nobody runs this tier by accident).
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { nofileLimits, readMemory } from './proc-stats.js';

/** The extra loopback source addresses the flood, idle and greylist tests connect from. */
export const EXTRA_LOOPBACK_SOURCES = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];
/** Descriptors the 10,000-idle-connection test needs (connection-limits.int.test.ts). */
const NOFILE_NEEDED = 12_000;

function canBind(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(0, host, () => server.close(() => resolve(true)));
  });
}

function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function hardeningProblems(): Promise<string[]> {
  const problems: string[] = [];
  if (process.platform !== 'linux' || readMemory('self') === null) problems.push(`Linux /proc (RSS and descriptor readings; this is ${process.platform})`);
  for (const host of EXTRA_LOOPBACK_SOURCES) {
    if (!(await canBind(host))) problems.push(`loopback source address ${host} (Linux answers on all of 127.0.0.0/8)`);
  }
  if (!onPath('mkfifo')) problems.push('mkfifo (coreutils; the FIFO mode-file fault)');
  if (problems.length === 0) {
    const { hard } = nofileLimits('self');
    const root = process.getuid?.() === 0;
    if (hard < NOFILE_NEEDED && !(root && onPath('prlimit'))) {
      problems.push(`RLIMIT_NOFILE ${NOFILE_NEEDED} (hard limit is ${hard}; raise it, or run as root with prlimit from util-linux)`);
    }
  }
  return problems;
}

export async function setup(): Promise<void> {
  const problems = await hardeningProblems();
  if (problems.length > 0) throw new Error(`HARDENING TIER CANNOT RUN: missing ${problems.join('; ')}`);
}
