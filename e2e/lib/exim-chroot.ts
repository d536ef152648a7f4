// A real Exim (Debian's exim4-daemon-light) run chrooted from .cache/exim-rootfs, which
// .ci/build-exim-rootfs.sh makes with mmdebstrap: Exim conflicts with sendmail as a Debian package.
// The chroot shares the host's network namespace, so Exim reaches the sinkhole on 127.0.0.1.
// Exim sends CHUNKING (BDAT) by default; the transport says so explicitly (hosts_try_chunking).
import { access, chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.js';
import { runCommand, type RunResult } from './run-command.js';

export const EXIM_ROOTFS = process.env['EXIM_ROOTFS'] ?? join(REPO_ROOT, '.cache/exim-rootfs');
const EXIM_BIN = '/usr/sbin/exim4';

/** Why Exim cannot run here (naming what is missing), or undefined. */
export async function eximProblem(): Promise<string | undefined> {
  const ok = await access(join(EXIM_ROOTFS, EXIM_BIN)).then(() => true, () => false);
  return ok ? undefined : `Exim root filesystem missing at ${EXIM_ROOTFS}${EXIM_BIN} (build it: bash .ci/build-exim-rootfs.sh)`;
}

export class EximChroot {
  readonly #dir: string;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /** A spool, log and configuration under /tmp inside the root filesystem, routing sinkhole.test to 127.0.0.1:port. */
  static async create(name: string, port: number): Promise<EximChroot> {
    const dir = `/tmp/e2e-exim-${process.env['E2E_RUN_ID'] ?? process.pid}-${name}`;
    const host = join(EXIM_ROOTFS, dir);
    await rm(host, { recursive: true, force: true });
    await mkdir(join(host, 'spool'), { recursive: true });
    await mkdir(join(host, 'log'), { recursive: true });
    await chmod(host, 0o755);
    // Exim refuses a -C file that is not root's and not 0644-ish; it delivers as Debian-exim, who needs the spool.
    await writeFile(join(host, 'exim.conf'), eximConfig(dir, port), { mode: 0o644 });
    const chown = await runCommand('chroot', [EXIM_ROOTFS, 'chown', '-R', 'Debian-exim:Debian-exim', `${dir}/spool`, `${dir}/log`]);
    if (chown.code !== 0) throw new Error(`chown in the Exim chroot failed: ${chown.stderr}`);
    return new EximChroot(dir);
  }

  /** `exim -odf`: takes the message and delivers it in the foreground before exiting. */
  async send(from: string, to: string, message: string): Promise<RunResult> {
    return runCommand('chroot', [EXIM_ROOTFS, EXIM_BIN, '-C', `${this.#dir}/exim.conf`, '-odf', '-f', from, to], { input: message, timeoutMs: 60_000 });
  }

  async mainlog(): Promise<string> {
    return readFile(join(EXIM_ROOTFS, this.#dir, 'log/mainlog'), 'utf8').catch(() => '');
  }

  async remove(): Promise<void> {
    await rm(join(EXIM_ROOTFS, this.#dir), { recursive: true, force: true });
  }
}

function eximConfig(dir: string, port: number): string {
  return `primary_hostname = exim.e2e.test
spool_directory = ${dir}/spool
log_file_path = ${dir}/log/%slog
keep_environment =
log_selector = +smtp_confirmation +outgoing_port
begin routers
sinkhole:
  driver = manualroute
  domains = sinkhole.test
  transport = to_sinkhole
  route_list = * 127.0.0.1 byname
  self = send
begin transports
to_sinkhole:
  driver = smtp
  port = ${port}
  hosts_try_chunking = *
  hosts_avoid_tls = *
  allow_localhost
begin retry
* * F,1h,15m
`;
}
