// Checks that everything the tier needs is present and works on this machine. Returns the problems
// found, each naming the precise missing piece; an empty list means the tier can run.
import { access, constants } from 'node:fs/promises';
import { MAKEMAP_BIN, POSTFIX_LIB_DIR, PROMETHEUS_BIN, PROMTOOL_BIN, PYTHON_BIN, SENDMAIL_BIN, SENDMAIL_CF_M4, SINKHOLE_BIN, SMTP_SOURCE_BIN } from './paths.js';
import { runCommand } from './run-command.js';
import { SendmailInstance } from './sendmail-instance.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

type Check = () => Promise<string | undefined>;

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => true, () => false);
}

async function runs(file: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<boolean> {
  const result = await runCommand(file, args, { timeoutMs: 10_000, ...(env === undefined ? {} : { env }) }).catch(() => undefined);
  return result !== undefined && result.code === 0;
}

const checks: readonly Check[] = [
  async () => (process.platform === 'linux' ? undefined : `Linux required (this is ${process.platform})`),
  async () =>
    process.getuid?.() === 0 ? undefined : 'must run as root (unshare/mount namespaces and sendmail queues need it)',
  async () =>
    (await access(SINKHOLE_BIN, constants.R_OK).then(() => true, () => false))
      ? undefined
      : `sinkhole bundle missing at ${SINKHOLE_BIN} (build: npx -y pnpm@10.34.9 --filter @sinkhole/sinkhole-server run build)`,
  async () => ((await isExecutable(SENDMAIL_BIN)) ? undefined : `sendmail missing (${SENDMAIL_BIN}; package sendmail-bin)`),
  async () => ((await isExecutable(MAKEMAP_BIN)) ? undefined : `makemap missing (${MAKEMAP_BIN}; package sendmail-bin)`),
  async () =>
    (await access(SENDMAIL_CF_M4).then(() => true, () => false)) ? undefined : `${SENDMAIL_CF_M4} missing (package sendmail-cf)`,
  async () => ((await runs('m4', ['--version'])) ? undefined : 'm4 missing (package m4)'),
  async () => ((await runs('unshare', ['--uts', '--mount', 'true'])) ? undefined : 'unshare --uts --mount does not work (util-linux; root with CAP_SYS_ADMIN needed)'),
  async () => ((await runs('swaks', ['--version'])) ? undefined : 'swaks missing (package swaks)'),
  async () => ((await runs('perl', ['-MNet::SSLeay', '-e', '1'])) ? undefined : 'Net::SSLeay missing: swaks --tls needs it (package libnet-ssleay-perl)'),
  async () => ((await runs('openssl', ['version'])) ? undefined : 'openssl missing (package openssl)'),
  async () => ((await runs(PROMTOOL_BIN, ['--version'])) ? undefined : `promtool missing (${PROMTOOL_BIN}; package prometheus)`),
  async () => ((await runs(PROMETHEUS_BIN, ['--version'])) ? undefined : `prometheus missing (${PROMETHEUS_BIN}; package prometheus)`),
  async () =>
    (await runs(PYTHON_BIN, ['-c', 'import smtplib, socket, json; socket.AF_UNIX']))
      ? undefined
      : `${PYTHON_BIN} with smtplib missing (package python3)`,
  async () => {
    if (!(await isExecutable(SMTP_SOURCE_BIN))) {
      return `postfix smtp-source missing at ${SMTP_SOURCE_BIN} (scripts/fetch-postfix.sh or .ci/install-e2e-deps.sh extracts it)`;
    }
    const r = await runCommand(SMTP_SOURCE_BIN, [], { timeoutMs: 10_000, env: { ...process.env, LD_LIBRARY_PATH: POSTFIX_LIB_DIR } });
    return /error while loading shared libraries/.test(r.stderr) ? `smtp-source does not load: ${r.stderr.trim()}` : undefined;
  },
];

/** A throwaway sendmail instance: m4 -> .cf, makemap, newaliases in the namespaces, syslog captured, no 60 s sleep. */
async function sendmailSandboxCheck(): Promise<string | undefined> {
  const dir = await makeTempDir('preflight');
  const started = Date.now();
  try {
    const instance = await SendmailInstance.create(dir, { name: 'preflight', sinkholePort: 9 });
    try {
      await instance.syslog.waitFor((l) => /aliases/.test(l), 5_000, 'newaliases syslog line');
    } finally {
      await instance.dispose();
    }
    const elapsed = Date.now() - started;
    return elapsed > 20_000 ? `a sendmail start took ${elapsed} ms (host name lookup sleep?)` : undefined;
  } catch (error) {
    return `private sendmail instance does not work: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    await removeTempDir(dir);
  }
}

export async function preflight(): Promise<string[]> {
  const problems = (await Promise.all(checks.map((c) => c()))).filter((p): p is string => p !== undefined);
  if (problems.length > 0) return problems;
  const sandbox = await sendmailSandboxCheck();
  return sandbox === undefined ? [] : [sandbox];
}
