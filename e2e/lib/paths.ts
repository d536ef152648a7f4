// Every external path the e2e tier uses, in one place. Env overrides are for local experiments.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The built sinkhole bundle the tier drives (override with SINKHOLE_BIN). */
export const SINKHOLE_BIN =
  process.env['SINKHOLE_BIN'] ?? join(REPO_ROOT, 'packages/sinkhole-server/dist/sinkhole-server.mjs');

export const SENDMAIL_BIN = '/usr/libexec/sendmail/sendmail';
export const MAKEMAP_BIN = '/usr/libexec/sendmail/makemap';
export const SENDMAIL_CF_M4 = '/usr/share/sendmail/cf/m4/cf.m4';

const POSTFIX_DIR = process.env['POSTFIX_CACHE_DIR'] ?? join(REPO_ROOT, '.cache/postfix');
export const SMTP_SOURCE_BIN = join(POSTFIX_DIR, 'usr/sbin/smtp-source');
export const POSTFIX_LIB_DIR = join(POSTFIX_DIR, 'usr/lib/postfix');

/** The machine's python3 (Debian's on CI), found on PATH. */
export const PYTHON_BIN = process.env['E2E_PYTHON'] ?? 'python3';

/** Helper scripts shipped next to this file. */
export const NAMESPACE_EXEC_SCRIPT = fileURLToPath(new URL('./namespace-exec.sh', import.meta.url));
export const SYSLOG_LISTENER_SCRIPT = fileURLToPath(new URL('./syslog-listener.py', import.meta.url));

/**
 * Parent of every temporary directory. Sendmail checks that no directory on a path it writes to is
 * world-writable; the generated configs set DontBlameSendmail=TrustStickyBit so a sticky /tmp is fine.
 */
export const TEMP_PARENT = process.env['E2E_TMPDIR'] ?? tmpdir();
/**
 * This run's id (set by vitest.config.ts in the main process, inherited by the workers), part of
 * every temp dir name: the leftover check then never touches another checkout's concurrent run.
 */
export const RUN_ID = process.env['E2E_RUN_ID'] ?? String(process.pid);
export const TEMP_PREFIX = `sinkhole-e2e-${RUN_ID}-`;

/** Debian's prometheus package: the server and promtool. */
export const PROMETHEUS_BIN = process.env['E2E_PROMETHEUS'] ?? '/usr/bin/prometheus';
export const PROMTOOL_BIN = process.env['E2E_PROMTOOL'] ?? '/usr/bin/promtool';
