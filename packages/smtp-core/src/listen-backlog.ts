import { readFileSync } from 'node:fs';
import { SmtpCoreError } from './errors.js';

/** The listen backlog asked for when the kernel's own cap cannot be read (Linux's default somaxconn since 5.4). */
export const DEFAULT_LISTEN_BACKLOG = 4096;
/** Largest backlog accepted: listen(2) takes an int, and no kernel queues more. */
export const MAX_LISTEN_BACKLOG = 2 ** 31 - 1;

const SOMAXCONN_PATH = '/proc/sys/net/core/somaxconn';

/** The kernel's cap on any listen backlog (Linux net.core.somaxconn), or undefined where it cannot be read. */
export function readSomaxconn(read: (path: string) => string = (path) => readFileSync(path, 'latin1')): number | undefined {
  let text: string;
  try {
    text = read(SOMAXCONN_PATH);
  } catch {
    return undefined;
  }
  const value = Number(text.trim());
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * The backlog to ask for when none is given: 4096, or the kernel's somaxconn when that is
 * larger. Linux silently cuts any request down to somaxconn, so asking for less than it wastes
 * what an operator raised it to for bursts (e.g. the ECS systemControls
 * `net.core.somaxconn`), and asking for more than a small somaxconn changes nothing.
 */
export function defaultListenBacklog(somaxconn: number | undefined = readSomaxconn()): number {
  return Math.min(MAX_LISTEN_BACKLOG, Math.max(DEFAULT_LISTEN_BACKLOG, somaxconn ?? 0));
}

/** Throws ERR_SMTP_INVALID_OPTION unless `backlog` is an integer from 1 to MAX_LISTEN_BACKLOG. */
export function checkListenBacklog(backlog: number): number {
  if (!Number.isInteger(backlog) || backlog < 1 || backlog > MAX_LISTEN_BACKLOG) {
    throw new SmtpCoreError('ERR_SMTP_INVALID_OPTION', `listen backlog must be an integer from 1 to ${MAX_LISTEN_BACKLOG}, got ${String(backlog)}`);
  }
  return backlog;
}
