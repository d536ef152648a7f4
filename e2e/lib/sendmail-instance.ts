// One private sendmail "instance": its own .mc/.cf, queue (or a shared one), mailertable, aliases,
// file mailbox and syslog capture, all in a temporary directory. Every call runs the real binary
// with -C <cf> inside namespace-exec.sh; nothing touches /etc/mail.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineLog, signalChild as signalGroup, track } from '@sinkhole/test-kit';
import { parseMailq, type MailQueue } from './mailq.js';
import { MAKEMAP_BIN, NAMESPACE_EXEC_SCRIPT, SENDMAIL_BIN } from './paths.js';
import { runChecked, runCommand, type RunResult } from './run-command.js';
import { deliveryLines, type SendmailLogLine } from './sendmail-log.js';
import { renderSendmailMc } from './sendmail-mc.js';
import { SyslogCapture } from './syslog-capture.js';
import { gidOf, uidOf } from './system-users.js';

export interface SendmailInstanceOptions {
  /** Short name: the directory name and the first label of the host name (`<name>.e2e.test`). */
  readonly name: string;
  readonly sinkholePort: number;
  /** A queue directory shared with another instance; default: a private one. */
  readonly queueDir?: string;
  /** Port for `startDaemon()` (SMTP on 127.0.0.1). */
  readonly daemonPort?: number;
  /** Never try STARTTLS as a client. */
  readonly noClientTls?: boolean;
}

export interface Submission {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  /** 'interactive' (-odi): deliver in the submitting process; 'queue' (-odq): only queue. */
  readonly delivery: 'interactive' | 'queue';
  /** More sendmail flags before the recipients, e.g. ['-N', 'success,failure']. */
  readonly extraArgs?: readonly string[];
  /** Extra header lines (LF-separated, no trailing LF) and a body, instead of the stock text. */
  readonly headers?: string;
  readonly body?: string;
}

export interface SubmitResult extends RunResult {
  /** The queue id sendmail assigned (from its syslog "from=" line). */
  readonly queueId: string;
}

const COMMAND_TIMEOUT_MS = 45_000;
const LOG_TIMEOUT_MS = 10_000;

/** The local mailbox user every instance has (aliases: postmaster and MAILER-DAEMON lead here). */
export const LOCAL_SENDER = 'sender';

export class SendmailInstance {
  readonly name: string;
  readonly hostname: string;
  readonly dir: string;
  readonly cfFile: string;
  readonly queueDir: string;
  readonly mailboxFile: string;
  readonly syslog: SyslogCapture;
  readonly daemonPort: number | undefined;
  readonly #hostsFile: string;
  #daemon: ChildProcessWithoutNullStreams | undefined;

  private constructor(o: {
    name: string; dir: string; cfFile: string; queueDir: string; mailboxFile: string;
    hostsFile: string; syslog: SyslogCapture; daemonPort: number | undefined;
  }) {
    this.name = o.name;
    this.hostname = `${o.name}.e2e.test`;
    this.dir = o.dir;
    this.cfFile = o.cfFile;
    this.queueDir = o.queueDir;
    this.mailboxFile = o.mailboxFile;
    this.#hostsFile = o.hostsFile;
    this.syslog = o.syslog;
    this.daemonPort = o.daemonPort;
  }

  /** The local sender address whose mailbox receives DSNs. */
  get senderAddress(): string {
    return `${LOCAL_SENDER}@${this.hostname}`;
  }

  static async create(parentDir: string, options: SendmailInstanceOptions): Promise<SendmailInstance> {
    const dir = join(parentDir, options.name);
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    const hostname = `${options.name}.e2e.test`;
    const queueDir = options.queueDir ?? join(dir, 'mqueue');
    await mkdir(queueDir, { recursive: true, mode: 0o700 });
    const file = (n: string): string => join(dir, n);

    const mailboxFile = file(`${LOCAL_SENDER}.mbox`);
    await writeFile(mailboxFile, '');
    await chown(mailboxFile, await uidOf('mail'), await gidOf('mail'));
    await chmod(mailboxFile, 0o660);

    await writeFile(file('hosts'), `127.0.0.1 localhost ${hostname} ${options.name}\n::1 localhost ip6-localhost\n`);
    await writeFile(file('service.switch'), 'hosts files\naliases files\n');
    await writeFile(file('relay-domains'), '');
    await writeFile(file('helpfile'), '');
    await writeFile(file('statistics'), '');
    await writeFile(
      file('aliases'),
      `postmaster: ${LOCAL_SENDER}\nMAILER-DAEMON: postmaster\nroot: postmaster\n${LOCAL_SENDER}: ${mailboxFile}\n`,
    );
    // In a mailertable ":" separates fallback hosts; the port is in SMTP_MAILER_ARGS.
    await writeFile(file('mailertable'), 'sinkhole.test smtp:[127.0.0.1]\n');
    await runChecked(MAKEMAP_BIN, ['hash', file('mailertable')], {
      input: 'sinkhole.test smtp:[127.0.0.1]\n',
      timeoutMs: 10_000,
    });

    const mc = renderSendmailMc({
      hostname,
      queueDir,
      stateDir: dir,
      aliasFile: file('aliases'),
      mailertableFile: file('mailertable'),
      serviceSwitchFile: file('service.switch'),
      hostsFile: file('hosts'),
      sinkholePort: options.sinkholePort,
      ...(options.daemonPort === undefined ? {} : { daemonPort: options.daemonPort }),
      ...(options.noClientTls === true ? { noClientTls: true } : {}),
    });
    await writeFile(file('sendmail.mc'), mc);
    const m4 = await runChecked('m4', [file('sendmail.mc')], { timeoutMs: 10_000 });
    await writeFile(file('sendmail.cf'), m4.stdout);

    const syslog = await SyslogCapture.start(file('log.sock'));
    const instance = new SendmailInstance({
      name: options.name, dir, cfFile: file('sendmail.cf'), queueDir, mailboxFile,
      hostsFile: file('hosts'), syslog, daemonPort: options.daemonPort,
    });
    const aliases = await instance.sendmail(['-bi']);
    if (aliases.code !== 0) {
      await instance.dispose();
      throw new Error(`newaliases failed for ${options.name}:\n${aliases.stdout}\n${aliases.stderr}`);
    }
    return instance;
  }

  /** argv and env that run the real sendmail binary with this instance's config, in its namespaces. */
  async #invocation(args: readonly string[]): Promise<{ argv: string[]; env: NodeJS.ProcessEnv }> {
    const scratch = await mkdtemp(join(this.dir, 'ns-'));
    return {
      argv: ['--uts', '--mount', '--propagation', 'private', 'sh', NAMESPACE_EXEC_SCRIPT, SENDMAIL_BIN, '-C', this.cfFile, ...args],
      env: {
        PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        NS_HOSTNAME: this.hostname,
        NS_HOSTS_FILE: this.#hostsFile,
        NS_LOG_SOCKET: this.syslog.socketPath,
        NS_SCRATCH: scratch,
      },
    };
  }

  /** Runs `sendmail -C <cf> <args>` to completion (bounded). */
  async sendmail(args: readonly string[], input?: string): Promise<RunResult> {
    const { argv, env } = await this.#invocation(args);
    return runCommand('unshare', argv, { env, timeoutMs: COMMAND_TIMEOUT_MS, ...(input === undefined ? {} : { input }) });
  }

  /** Submits one message on the command line, as root, and returns its queue id. */
  async submit(s: Submission): Promise<SubmitResult> {
    const extra = s.headers === undefined ? '' : `${s.headers}\n`;
    const body = s.body ?? `${s.subject}: sent by the sinkhole e2e tier.\n`;
    const message = `From: ${s.from}\nTo: ${s.to.join(', ')}\nSubject: ${s.subject}\n${extra}\n${body}`;
    const mode = s.delivery === 'interactive' ? '-odi' : '-odq';
    const result = await this.sendmail([mode, '-oem', '-f', s.from, ...(s.extraArgs ?? []), ...s.to], message);
    if (result.pid === undefined) throw new Error('sendmail did not start');
    const pid = result.pid;
    const line = await this.syslog.waitFor(
      (l) => l.includes(`[${pid}]: `) && /: from=/.test(l),
      LOG_TIMEOUT_MS,
      `the from= line of sendmail[${pid}] (${s.subject})`,
    );
    const queueId = /\]: ([A-Za-z0-9]+): from=/.exec(line)?.[1];
    if (queueId === undefined) throw new Error(`no queue id in ${line}`);
    return { ...result, queueId };
  }

  async mailq(): Promise<MailQueue> {
    const result = await this.sendmail(['-bp']);
    if (result.code !== 0) throw new Error(`mailq failed:\n${result.stdout}\n${result.stderr}`);
    return parseMailq(result.stdout);
  }

  /** `sendmail -q -v`: one queue run in the foreground. */
  async runQueue(): Promise<RunResult> {
    return this.sendmail(['-q', '-v']);
  }

  /** Delivery (to= ... stat=) lines this instance logged, optionally for one queue id. */
  deliveries(queueId?: string): SendmailLogLine[] {
    return deliveryLines(this.syslog.lines).filter((l) => queueId === undefined || l.queueId === queueId);
  }

  async waitForDelivery(queueId: string, statPrefix: string, timeoutMs = LOG_TIMEOUT_MS): Promise<SendmailLogLine> {
    await this.syslog.waitFor(
      (l) => l.includes(`${queueId}: to=`) && l.includes(`stat=${statPrefix}`),
      timeoutMs,
      `${queueId} stat=${statPrefix}`,
    );
    const found = this.deliveries(queueId).find((d) => d.fields['stat']?.startsWith(statPrefix));
    if (found === undefined) throw new Error(`unreachable: no parsed delivery line for ${queueId}`);
    return found;
  }

  async mailbox(): Promise<string> {
    return readFile(this.mailboxFile, 'utf8');
  }

  /** Starts `sendmail -bD -q1h`: an SMTP daemon on 127.0.0.1:<daemonPort> plus an hourly queue runner. */
  async startDaemon(): Promise<void> {
    if (this.daemonPort === undefined) throw new Error(`${this.name} has no daemonPort`);
    if (this.#daemon !== undefined) throw new Error(`${this.name}: daemon already running`);
    const { argv, env } = await this.#invocation(['-bD', '-q1h']);
    const child = spawn('unshare', argv, { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    track(child);
    child.stdin.end();
    const out = new LineLog(child.stdout);
    const err = new LineLog(child.stderr);
    this.#daemon = child;
    const pid = child.pid;
    try {
      await this.syslog.waitFor(
        (l) => l.includes(`[${String(pid)}]: `) && /starting daemon/.test(l),
        LOG_TIMEOUT_MS,
        `${this.name} daemon start`,
      );
    } catch (error) {
      await this.stopDaemon();
      throw new Error(`${String(error)}\ndaemon stdout:\n${out.lines.join('\n')}\nstderr:\n${err.lines.join('\n')}`);
    }
  }

  get daemonRunning(): boolean {
    const d = this.#daemon;
    return d !== undefined && d.exitCode === null && d.signalCode === null;
  }

  /** The daemon's pid, which is also its process group id (it is started detached). */
  get daemonPid(): number | undefined {
    return this.#daemon?.pid;
  }

  /** Stops the daemon like a task replacement would (SIGTERM), waiting at most a few seconds. */
  async stopDaemon(): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
    const child = this.#daemon;
    if (child === undefined) return undefined;
    this.#daemon = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000);
    const result = await exited;
    clearTimeout(timer);
    return result;
  }

  async dispose(): Promise<void> {
    await this.stopDaemon();
    await this.syslog.stop();
  }
}
