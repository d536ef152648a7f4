// The container definition: deploy/terraform/modules/sinkhole/container-definitions.json.tftpl, rendered the
// way the task definition's templatefile() call renders it, against the program's own flag specs and --help.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SSM_PARAMETER } from '@sinkhole/mode-providers';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECK_FLAGS } from '../../src/cli/check-flags.js';
import { parseCommandLine } from '../../src/cli/command-line.js';
import { environmentRefusal } from '../../src/cli/environment-guard.js';
import { helpText } from '../../src/cli/help-text.js';
import { DEFAULT_PORT, SERVER_FLAGS } from '../../src/cli/server-flags.js';
import { dockerfileFinalStage } from '../support/dockerfile.js';
import { makeTempDir, removeDir } from '@sinkhole/test-kit';
import {
  MODULE_DIR, REPO, evaluateString, loadConfig, renderTemplate, templateNames, templatefileKeys, unwrap, type Config,
} from '../support/terraform.js';

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  readonly memoryReservation: number;
  readonly memory: number;
  readonly portMappings: readonly { containerPort: number; protocol: string }[];
  readonly environment: readonly { name: string; value: string }[];
  readonly user: string;
  readonly readonlyRootFilesystem: boolean;
  readonly healthCheck: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  readonly stopTimeout: number;
  readonly systemControls: readonly { namespace: string; value: string }[];
  readonly ulimits: readonly { name: string; softLimit: number; hardLimit: number }[];
  readonly linuxParameters: { capabilities: { drop: string[]; add?: string[] }; tmpfs?: { containerPath: string; size: number; mountOptions: string[] }[] };
  readonly entryPoint?: string[];
  readonly secrets?: { name: string; valueFrom: string }[];
  readonly logConfiguration: { logDriver: string; options: Record<string, string> };
}

const KNOWN_VARIABLES = new Set([...Object.values(SERVER_FLAGS), ...Object.values(CHECK_FLAGS)].map((s) => s.env).filter((e) => e !== undefined));

let mod: Config;
let template: string;

beforeAll(async () => {
  mod = await loadConfig(MODULE_DIR);
  template = await readFile(new URL('container-definitions.json.tftpl', MODULE_DIR), 'utf8');
});

/** The values the task definition passes, from the module's own defaults (a stage apply). */
function render(overrides: { environment?: string; httpPort?: number } = {}): Container[] {
  const httpEnabled = overrides.httpPort !== undefined;
  const text = renderTemplate(template, {
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/cabal-sinkhole:latest',
    environment: overrides.environment ?? 'stage',
    hostname: evaluateString(mod, mod.locals['hostname']),
    ssm_parameter: evaluateString(mod, '${var.ssm_parameter_name}'),
    log_group: evaluateString(mod, mod.locals['log_group']),
    region: 'eu-west-1',
    http_enabled: httpEnabled,
    http_port: overrides.httpPort ?? 0,
    http_token_parameter: httpEnabled ? 'arn:aws:ssm:eu-west-1:123456789012:parameter/cabal/sinkhole_http_token' : '',
  });
  return JSON.parse(text) as Container[];
}

const only = (containers: Container[]): Container => {
  expect(containers).toHaveLength(1);
  return containers[0] as Container;
};
const envOf = (c: Container): Record<string, string> => Object.fromEntries(c.environment.map((e) => [e.name, e.value]));

describe('container-definitions.json.tftpl: one source, rendered as Terraform renders it', () => {
  it('names exactly the variables the templatefile() call passes', () => {
    const call = templatefileKeys(unwrap(mod.resources['aws_ecs_task_definition.sinkhole']?.['container_definitions']));
    expect(call.file).toBe('container-definitions.json.tftpl');
    expect([...templateNames(template)].sort()).toEqual([...call.keys].sort());
  });

  it('renders valid JSON with the HTTP port off and on', () => {
    expect(() => render()).not.toThrow();
    expect(() => render({ httpPort: 9464 })).not.toThrow();
  });

  it('the plan\'s task: one essential container, 64 MB reserved, 128 MB cap, port 25, awslogs to the tier\'s group, stopTimeout 120', () => {
    const c = only(render());
    expect(c).toMatchObject({ name: 'sinkhole', essential: true, memoryReservation: 64, memory: 128, stopTimeout: 120 });
    expect(c.portMappings).toEqual([{ containerPort: DEFAULT_PORT, protocol: 'tcp' }]);
    expect(c.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/ecs/cabal-sinkhole', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'sinkhole' },
    });
  });
});

describe('the container\'s environment is the program\'s own configuration', () => {
  it('names only variables the program reads (and AWS_REGION for the SDK), each documented in --help', () => {
    const help = helpText('serve');
    for (const name of Object.keys(envOf(only(render())))) {
      if (name === 'AWS_REGION') continue;
      expect(KNOWN_VARIABLES, name).toContain(name);
      expect(help, name).toContain(`env ${name}`);
    }
  });

  it('parses to the server the plan wants: 0.0.0.0:25, mode from the SSM parameter every 30 s, the Cloud Map name', () => {
    const c = only(render());
    const command = parseCommandLine([], envOf(c));
    expect(command.kind).toBe('serve');
    if (command.kind !== 'serve') return;
    expect(command.config).toMatchObject({
      host: '0.0.0.0',
      port: c.portMappings[0]?.containerPort,
      modeSource: { kind: 'ssm', parameter: DEFAULT_SSM_PARAMETER, cacheTtlMs: 30_000 },
      hostname: 'sinkhole.cabal.internal',
      // 5,000 idle connections at about 8 KB each stay under the 128 MB cap with the idle process.
      limits: { maxConnections: 5_000 },
    });
    expect(environmentRefusal(command.config.environment)).toBeUndefined();
    // The grace period ends before ECS's SIGKILL, with time left to exit.
    expect(command.config.shutdownGraceMs).toBeLessThan(c.stopTimeout * 1000 - 5_000);
    // Descriptors for every allowed connection and some to spare, whatever the AMI's Docker default is.
    expect(c.ulimits).toEqual([{ name: 'nofile', softLimit: 16_384, hardLimit: 16_384 }]);
    expect((command.config.limits.maxConnections ?? Infinity) + 100).toBeLessThan(c.ulimits[0]?.softLimit ?? 0);
  });

  it('the environment name reaches the program, which refuses prod by itself (a third guard)', () => {
    const command = parseCommandLine([], envOf(only(render({ environment: 'prod' }))));
    expect(command.kind).toBe('serve');
    if (command.kind === 'serve') expect(environmentRefusal(command.config.environment)).toBeDefined();
  });

  it('the HTTP listener, when set: SINKHOLE_HTTP on all addresses at that port, and a second port mapping', () => {
    const c = only(render({ httpPort: 9464 }));
    expect(c.portMappings).toEqual([{ containerPort: DEFAULT_PORT, protocol: 'tcp' }, { containerPort: 9464, protocol: 'tcp' }]);
    expect(envOf(c)['SINKHOLE_HTTP']).toBe('0.0.0.0:9464');
    expect(envOf(only(render()))['SINKHOLE_HTTP']).toBeUndefined();
  });

  it('with it, every variable is still one the program reads and --help shows', () => {
    const help = helpText('serve');
    for (const name of Object.keys(envOf(only(render({ httpPort: 9464 }))))) {
      if (name === 'AWS_REGION') continue;
      expect(KNOWN_VARIABLES, name).toContain(name);
      expect(help, name).toContain(`env ${name}`);
    }
  });

  it('the token reaches the program as the file it requires beyond loopback, and the image\'s command runs', async () => {
    const c = only(render({ httpPort: 9464 }));
    const image = dockerfileFinalStage(await readFile(new URL('packages/sinkhole-server/Dockerfile', REPO), 'utf8'));
    expect(c.secrets).toEqual([{ name: 'SINKHOLE_HTTP_TOKEN', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/cabal/sinkhole_http_token' }]);
    const tokenFile = envOf(c)['SINKHOLE_HTTP_TOKEN_FILE'] ?? '';
    const [tmpfs] = c.linuxParameters.tmpfs ?? [];
    expect(tokenFile.startsWith(`${tmpfs?.containerPath ?? '?'}/`)).toBe(true);
    const [shell, dashC, script, ...rest] = c.entryPoint ?? [];
    expect([shell, dashC, rest]).toEqual(['/bin/sh', '-c', []]);
    expect(script).toContain(`> ${tokenFile} `);
    expect(script).toContain('unset SINKHOLE_HTTP_TOKEN');
    // The same process as the image's ENTRYPOINT, exec'd so that node is PID 1 and gets ECS's SIGTERM.
    expect(script?.endsWith(` && exec ${image.entrypoint.join(' ')}`)).toBe(true);
    // What the program makes of it: the listener on 0.0.0.0:9464 with the token read from that file.
    const dir = await makeTempDir('http-token');
    try {
      await writeFile(join(dir, 'http-token'), 'a-token-of-at-least-16-chars');
      const command = parseCommandLine([], { ...envOf(c), SINKHOLE_HTTP_TOKEN_FILE: join(dir, 'http-token') });
      expect(command.kind).toBe('serve');
      if (command.kind === 'serve') expect(command.config.http).toMatchObject({ host: '0.0.0.0', port: 9464, token: 'a-token-of-at-least-16-chars' });
    } finally {
      await removeDir(dir);
    }
  });

  it('without it, no entry point override, no secret, no tmpfs', () => {
    const c = only(render());
    expect(c.entryPoint).toBeUndefined();
    expect(c.secrets).toBeUndefined();
    expect(c.linuxParameters.tmpfs).toBeUndefined();
  });
});

describe('the container runs the image as built', () => {
  it('its health check is the image\'s: the check command against the port the server listens on', async () => {
    const c = only(render());
    const image = dockerfileFinalStage(await readFile(new URL('packages/sinkhole-server/Dockerfile', REPO), 'utf8'));
    expect(c.healthCheck.command).toEqual(['CMD', ...image.healthcheck]);
    const [node, script, sub] = c.healthCheck.command.slice(1);
    expect([node, script]).toEqual(image.entrypoint.filter((arg) => !arg.startsWith('--')));
    expect(sub).toBe('check');
    const env = { ...image.env, ...envOf(c) };
    expect(parseCommandLine(['check'], env)).toEqual({ kind: 'check', options: { host: '127.0.0.1', port: 25, timeoutMs: 5_000 } });
    expect(helpText('check')).toContain('Usage: sinkhole-server check');
    // The check's own bound fits in the health check timeout.
    expect(5).toBeLessThan(c.healthCheck.timeout);
  });

  it('as the image\'s non-root user, all capabilities dropped, port 25 opened by the namespaced sysctl', async () => {
    const c = only(render());
    const image = dockerfileFinalStage(await readFile(new URL('packages/sinkhole-server/Dockerfile', REPO), 'utf8'));
    expect(c.user).toBe(image.user);
    expect(image.user).toBe('node');
    expect(c.readonlyRootFilesystem).toBe(true);
    expect(c.linuxParameters.capabilities).toEqual({ drop: ['ALL'] });
    // The listen backlog defaults to somaxconn when that is larger than 4096: 16384 lets a burst
    // of 10,000 connects wait in the kernel instead of being dropped and retried seconds later.
    expect(c.systemControls).toEqual([
      { namespace: 'net.ipv4.ip_unprivileged_port_start', value: String(DEFAULT_PORT) },
      { namespace: 'net.core.somaxconn', value: '16384' },
    ]);
  });
});
