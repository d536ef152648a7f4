// Runs the built image the way the ECS task definition does: its user, read-only root, capabilities, sysctls,
// ulimits, memory reservation and cap, and environment come from the rendered container-definitions template.
// Each container gets its own network namespace with only loopback (--network none); clients reach port 25 by
// running inside that namespace (nsenter), so nothing goes near the CNI bridge or a non-loopback address.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { MODULE_DIR, evaluateString, loadConfig, renderTemplate } from '../../../../packages/sinkhole-server/test/support/terraform.js';

const run = promisify(execFile);
export const REPO = new URL('../../../../', import.meta.url);
export const IMAGE = process.env['SINKHOLE_TEST_IMAGE'] ?? 'localhost/cabal-sinkhole:test';
const env = { ...process.env, CONTAINERS_CONF: new URL('deploy/image/containers.conf', REPO).pathname };

export async function podman(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run('podman', args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** podman, returning the exit code instead of throwing on a non-zero one. */
export async function podmanStatus(args: readonly string[], timeoutMs = 60_000): Promise<{ code: number; output: string }> {
  try {
    return { code: 0, output: await podman(args, timeoutMs) };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

export interface TaskContainer {
  readonly user: string;
  readonly memory: number;
  readonly memoryReservation: number;
  readonly readonlyRootFilesystem: boolean;
  readonly stopTimeout: number;
  readonly environment: readonly { name: string; value: string }[];
  readonly linuxParameters: { capabilities: { drop: string[] }; tmpfs?: { containerPath: string; size: number; mountOptions: string[] }[] };
  readonly entryPoint?: string[];
  readonly secrets?: { name: string; valueFrom: string }[];
  readonly systemControls: readonly { namespace: string; value: string }[];
  readonly ulimits: readonly { name: string; softLimit: number; hardLimit: number }[];
}

/** The task definition's container, rendered from the one template as a stage apply would. */
export async function taskContainer(httpPort?: number): Promise<TaskContainer> {
  const mod = await loadConfig(MODULE_DIR);
  const template = await readFile(new URL('container-definitions.json.tftpl', MODULE_DIR), 'utf8');
  const text = renderTemplate(template, {
    image: IMAGE, environment: 'stage', hostname: evaluateString(mod, mod.locals['hostname']),
    ssm_parameter: evaluateString(mod, '${var.ssm_parameter_name}'), log_group: evaluateString(mod, mod.locals['log_group']),
    region: 'eu-west-1', http_enabled: httpPort !== undefined, http_port: httpPort ?? 0,
    http_token_parameter: httpPort === undefined ? '' : 'arn:aws:ssm:eu-west-1:123456789012:parameter/cabal/sinkhole_http_token',
  });
  const [container] = JSON.parse(text) as TaskContainer[];
  if (container === undefined) throw new Error('the template has no container');
  return container;
}

export interface RunOptions {
  /** Secret values, as ECS would inject them from SSM. */
  readonly secrets?: Readonly<Record<string, string>>;
  /**
   * The SSM endpoint environment (an SSM stand-in in the container's network namespace): the task's own mode
   * source and parameter are kept. Without it the mode comes from SINKHOLE_MODE=accept instead.
   */
  readonly ssmEnv?: Readonly<Record<string, string>>;
  /** A named network namespace to join (ip netns), prepared before the container as awsvpc does; default none. */
  readonly netns?: string;
}

/** podman run flags for that container: the task definition's settings, and the mode source as `options` say. */
export function runFlags(c: TaskContainer, extraEnv: Readonly<Record<string, string>>, options: RunOptions = {}): string[] {
  const environment: Record<string, string> = Object.fromEntries(c.environment.map((e) => [e.name, e.value]));
  if (options.ssmEnv === undefined) {
    delete environment['SINKHOLE_SSM_PARAMETER'];
    delete environment['AWS_REGION'];
    Object.assign(environment, { SINKHOLE_MODE_SOURCE: 'env', SINKHOLE_MODE: 'accept' });
  } else {
    Object.assign(environment, options.ssmEnv);
  }
  Object.assign(environment, extraEnv);
  const secretValues = options.secrets ?? {};
  // ECS injects each secret as an environment variable; here the test supplies the value.
  for (const secret of c.secrets ?? []) {
    const value = secretValues[secret.name];
    if (value === undefined) throw new Error(`no test value for the secret ${secret.name}`);
    environment[secret.name] = value;
  }
  return [
    ...(c.entryPoint === undefined ? [] : ['--entrypoint', JSON.stringify(c.entryPoint)]),
    ...(c.linuxParameters.tmpfs ?? []).flatMap((t) => ['--tmpfs', `${t.containerPath}:${['rw', `size=${t.size}m`, ...t.mountOptions].join(',')}`]),
    '--network', options.netns === undefined ? 'none' : `ns:/run/netns/${options.netns}`,
    '--user', c.user,
    ...(c.readonlyRootFilesystem ? ['--read-only'] : []),
    ...c.linuxParameters.capabilities.drop.flatMap((cap) => ['--cap-drop', cap]),
    ...c.systemControls.flatMap((s) => ['--sysctl', `${s.namespace}=${s.value}`]),
    ...c.ulimits.flatMap((u) => ['--ulimit', `${u.name}=${u.softLimit}:${u.hardLimit}`]),
    // Any --ulimit drops containers.conf's default_ulimits, and podman's own nproc default may exceed this
    // machine's hard limit (no CAP_SYS_RESOURCE to raise it): state it, as containers.conf does.
    '--ulimit', 'nproc=4096:4096',
    '--memory', `${c.memory}m`, '--memory-swap', `${c.memory}m`, '--memory-reservation', `${c.memoryReservation}m`,
    '--stop-timeout', String(c.stopTimeout),
    // Keep the image's HEALTHCHECK but run it by hand (podman's timer needs systemd).
    '--health-interval', 'disable',
    ...Object.entries(environment).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
  ];
}

export interface Started {
  readonly id: string;
  /** The container's PID 1 (node) as the host sees it. */
  readonly pid: number;
}

export async function startContainer(name: string, flags: readonly string[]): Promise<Started> {
  await podmanStatus(['rm', '--force', '--time', '0', name]);
  const id = await podman(['run', '--detach', '--name', name, ...flags, IMAGE]);
  const pid = Number(await podman(['inspect', '--format', '{{.State.Pid}}', id]));
  if (!(pid > 0)) throw new Error(`container ${name} has no PID (${pid}): ${await podman(['logs', id])}`);
  return { id, pid };
}

export async function removeContainer(id: string): Promise<void> {
  await podmanStatus(['rm', '--force', '--time', '0', id]);
}

export async function logLines(id: string): Promise<Record<string, unknown>[]> {
  const { stdout } = await run('podman', ['logs', id], { env, maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Waits until the log has a line with this msg (bounded). */
export async function waitForLog(id: string, msg: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = (await logLines(id)).find((l) => l['msg'] === msg);
    if (line !== undefined) return line;
    if (Date.now() > deadline) throw new Error(`no "${msg}" line within ${timeoutMs} ms: ${await podman(['logs', id])}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface CgroupMemory {
  readonly limitMb: number;
  readonly softLimitMb: number;
  readonly usageMb: number;
  readonly maxUsageMb: number;
  /** Times the cap was hit (allocations that had to reclaim first). */
  readonly failcnt: number;
  readonly oomKills: number;
}

/** The container's memory cgroup (cgroup v1, as on this CI machine; v2 names in the fallback). */
export async function cgroupMemory(pid: number): Promise<CgroupMemory> {
  const cgroups = await readFile(`/proc/${pid}/cgroup`, 'utf8');
  const v1 = /^\d+:memory:(.+)$/m.exec(cgroups)?.[1];
  const mb = (bytes: string): number => Number(bytes) / (1024 * 1024);
  if (v1 !== undefined) {
    const dir = `/sys/fs/cgroup/memory${v1}`;
    const read = (f: string): Promise<string> => readFile(`${dir}/${f}`, 'utf8').then((t) => t.trim());
    const oom = /oom_kill (\d+)/.exec(await read('memory.oom_control'))?.[1] ?? '0';
    return {
      limitMb: mb(await read('memory.limit_in_bytes')), softLimitMb: mb(await read('memory.soft_limit_in_bytes')),
      usageMb: mb(await read('memory.usage_in_bytes')), maxUsageMb: mb(await read('memory.max_usage_in_bytes')),
      failcnt: Number(await read('memory.failcnt')), oomKills: Number(oom),
    };
  }
  const v2 = /^0::(.+)$/m.exec(cgroups)?.[1];
  if (v2 === undefined) throw new Error(`no memory cgroup for ${pid}: ${cgroups}`);
  const dir = `/sys/fs/cgroup${v2}`;
  const read = (f: string): Promise<string> => readFile(`${dir}/${f}`, 'utf8').then((t) => t.trim());
  const events = await read('memory.events');
  return {
    limitMb: mb(await read('memory.max')), softLimitMb: mb(await read('memory.low')), usageMb: mb(await read('memory.current')),
    maxUsageMb: mb(await read('memory.peak').catch(() => '0')), failcnt: Number(/^max (\d+)/m.exec(events)?.[1] ?? 0),
    oomKills: Number(/^oom_kill (\d+)/m.exec(events)?.[1] ?? 0),
  };
}

/** A named network namespace with loopback up (what awsvpc gives a task before its containers start). */
export async function createNetns(name: string): Promise<void> {
  await run('ip', ['netns', 'del', name]).catch(() => undefined);
  await run('ip', ['netns', 'add', name]);
  await run('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
}

export async function deleteNetns(name: string): Promise<void> {
  await run('ip', ['netns', 'del', name]).catch(() => undefined);
}

/** Starts a helper script (deploy/image/test/support/NAME) with the host's node and tsx inside a named netns. */
export function helperInNetns(netns: string, script: string, config: Readonly<Record<string, unknown>>): ChildProcessWithoutNullStreams {
  const path = new URL(`deploy/image/test/support/${script}`, REPO).pathname;
  return spawn('ip', ['netns', 'exec', netns, process.execPath, '--import', 'tsx', path, JSON.stringify(config)], {
    cwd: REPO.pathname, stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Starts the sessions client inside the container's network namespace, with the host's node and tsx. */
export function clientInNetns(pid: number, config: Readonly<Record<string, unknown>>): ChildProcessWithoutNullStreams {
  const script = new URL('deploy/image/test/support/sessions-client.ts', REPO).pathname;
  return spawn('nsenter', ['--target', String(pid), '--net', '--', process.execPath, '--import', 'tsx', script, JSON.stringify(config)], {
    cwd: REPO.pathname, stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** The JSON events a client prints, one per line; `next(event)` waits for the first with that name. */
export class ClientEvents {
  readonly #events: Record<string, unknown>[] = [];
  readonly #waiters: (() => void)[] = [];
  #stderr = '';
  #exited: number | null | undefined;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        if (line.startsWith('{')) this.#events.push(JSON.parse(line) as Record<string, unknown>);
        this.#wakeAll();
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { this.#stderr = (this.#stderr + chunk).slice(-8_000); });
    child.on('exit', (code) => { this.#exited = code; this.#wakeAll(); });
  }

  send(command: string): void {
    this.child.stdin.write(`${command}\n`);
  }

  async next(event: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.#events.find((e) => e['event'] === event);
      if (found !== undefined) return found;
      if (this.#exited !== undefined) throw new Error(`client exited (${String(this.#exited)}) before "${event}": ${this.#stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${event}" from the client within ${timeoutMs} ms: ${this.#stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  kill(): void {
    if (this.#exited === undefined) this.child.kill('SIGKILL');
  }

  #wakeAll(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

/** Anonymous and file-backed resident memory in MB (/proc/<pid>/status): the cap is charged the first in full. */
export async function rssParts(pid: number): Promise<{ anon: number; file: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return { anon: kb('RssAnon'), file: kb('RssFile') };
}
