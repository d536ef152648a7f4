import { readFile } from 'node:fs/promises';
import { DEFAULT_SSM_PARAMETER } from '@sinkhole/mode-providers';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/command-line.js';
import { environmentRefusal } from '../../src/cli/environment-guard.js';
import { SERVER_FLAGS, DEFAULT_PORT } from '../../src/cli/server-flags.js';
import { CHECK_FLAGS } from '../../src/cli/check-flags.js';

const repo = new URL('../../../../', import.meta.url);
const read = (path: string): Promise<string> => readFile(new URL(path, repo), 'utf8');

interface Container {
  readonly name: string;
  readonly memoryReservation: number;
  readonly memory: number;
  readonly portMappings: readonly { containerPort: number; protocol: string }[];
  readonly environment: readonly { name: string; value: string }[];
  readonly user: string;
  readonly healthCheck: { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number };
  readonly stopTimeout: number;
  readonly systemControls: readonly { namespace: string; value: string }[];
  readonly linuxParameters: { capabilities: { drop: string[] } };
  readonly logConfiguration: { logDriver: string; options: Record<string, string> };
}

async function taskDefinition(): Promise<{ networkMode: string; requiresCompatibilities: string[]; containerDefinitions: Container[] }> {
  return JSON.parse(await read('deploy/ecs-task-definition.json')) as { networkMode: string; requiresCompatibilities: string[]; containerDefinitions: Container[] };
}

/** The Dockerfile's final stage: ENV values, EXPOSE, USER, HEALTHCHECK and ENTRYPOINT. */
function finalStage(dockerfile: string): { env: Record<string, string>; expose: string[]; user: string; healthcheck: string[]; entrypoint: string[]; copied: string[] } {
  const text = dockerfile.replace(/\\\n\s*/g, ' ');
  const stages = text.split(/^FROM /m);
  const last = stages.at(-1) ?? '';
  const env: Record<string, string> = {};
  for (const m of last.matchAll(/^ENV (.+)$/gm)) for (const pair of (m[1] ?? '').matchAll(/(\w+)=(\S+)/g)) env[pair[1] ?? ''] = pair[2] ?? '';
  const json = (re: RegExp): string[] => JSON.parse(re.exec(last)?.[1] ?? '[]') as string[];
  return {
    env,
    expose: [...last.matchAll(/^EXPOSE (.+)$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/)),
    user: /^USER (\S+)$/m.exec(last)?.[1] ?? '',
    healthcheck: json(/^HEALTHCHECK .*CMD (\[.*\])$/m),
    entrypoint: json(/^ENTRYPOINT (\[.*\])$/m),
    copied: [...last.matchAll(/^COPY (.+)$/gm)].map((m) => m[1] ?? ''),
  };
}

const KNOWN_VARIABLES = new Set([...Object.values(SERVER_FLAGS), ...Object.values(CHECK_FLAGS)].map((s) => s.env).filter((e) => e !== undefined));

describe('deploy/ecs-task-definition.json', () => {
  it('is the plan: awsvpc on EC2, 64 MB reserved, 128 MB cap, port 25, awslogs, stopTimeout 120', async () => {
    const task = await taskDefinition();
    expect(task.networkMode).toBe('awsvpc');
    expect(task.requiresCompatibilities).toEqual(['EC2']);
    const [container, ...others] = task.containerDefinitions;
    expect(others).toEqual([]);
    expect(container).toMatchObject({ memoryReservation: 64, memory: 128, stopTimeout: 120 });
    expect(container?.portMappings).toEqual([{ containerPort: DEFAULT_PORT, protocol: 'tcp' }]);
    expect(container?.logConfiguration.logDriver).toBe('awslogs');
  });

  it('names only variables the program reads, and they configure the server the plan wants', async () => {
    const container = (await taskDefinition()).containerDefinitions[0] as Container;
    const env = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
    for (const name of Object.keys(env)) {
      if (!name.startsWith('AWS_')) expect(KNOWN_VARIABLES, name).toContain(name);
    }
    const command = parseCommandLine([], env);
    expect(command.kind).toBe('serve');
    if (command.kind !== 'serve') return;
    expect(command.config).toMatchObject({
      host: '0.0.0.0',
      port: container.portMappings[0]?.containerPort,
      modeSource: { kind: 'ssm', parameter: DEFAULT_SSM_PARAMETER, cacheTtlMs: 30_000 },
      hostname: 'sinkhole.cabal.internal',
      // 5,000 idle connections at about 8 KB each stay under the 128 MB cap with the idle process.
      limits: { maxConnections: 5_000 },
    });
    expect(environmentRefusal(command.config.environment)).toBeUndefined();
    // The grace period ends before ECS's SIGKILL, with time left to exit.
    expect(command.config.shutdownGraceMs).toBeLessThan(container.stopTimeout * 1000 - 5_000);
  });

  it('its health check runs the check command against the port the server listens on', async () => {
    const container = (await taskDefinition()).containerDefinitions[0] as Container;
    const image = finalStage(await read('packages/sinkhole-server/Dockerfile'));
    expect(container.healthCheck.command).toEqual(['CMD', ...image.healthcheck]);
    const [node, script, sub] = container.healthCheck.command.slice(1);
    expect([node, script]).toEqual(image.entrypoint.filter((arg) => !arg.startsWith('--')));
    expect(sub).toBe('check');
    const env = { ...image.env, ...Object.fromEntries(container.environment.map((e) => [e.name, e.value])) };
    expect(parseCommandLine(['check'], env)).toEqual({ kind: 'check', options: { host: '127.0.0.1', port: 25, timeoutMs: 5_000 } });
    // The check's own bound fits in the health check timeout.
    expect(5).toBeLessThan(container.healthCheck.timeout);
  });

  it('runs as the non-root image user, all capabilities dropped, port 25 opened by the namespaced sysctl', async () => {
    const container = (await taskDefinition()).containerDefinitions[0] as Container;
    const image = finalStage(await read('packages/sinkhole-server/Dockerfile'));
    expect(container.user).toBe(image.user);
    expect(image.user).toBe('node');
    expect(container.linuxParameters.capabilities.drop).toEqual(['ALL']);
    expect(container.systemControls).toEqual([{ namespace: 'net.ipv4.ip_unprivileged_port_start', value: String(DEFAULT_PORT) }]);
  });
});

describe('packages/sinkhole-server/Dockerfile', () => {
  it('ships the bundle only, on an official Node Alpine image, listening on 0.0.0.0:25', async () => {
    const dockerfile = await read('packages/sinkhole-server/Dockerfile');
    expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])).toEqual(['node:24-alpine', 'node:24-alpine']);
    const image = finalStage(dockerfile);
    expect(image.copied).toEqual(['--from=build /src/packages/sinkhole-server/dist/sinkhole-server.mjs /app/sinkhole-server.mjs']);
    expect(image.env).toMatchObject({ SINKHOLE_HOST: '0.0.0.0', SINKHOLE_PORT: '25' });
    expect(image.expose).toEqual(['25']);
    expect(image.entrypoint).toEqual(['node', '--max-semi-space-size=2', '/app/sinkhole-server.mjs']);
    for (const name of Object.keys(image.env)) if (name.startsWith('SINKHOLE_')) expect(KNOWN_VARIABLES).toContain(name);
  });
});

describe('deploy/iam-policy.json', () => {
  it('allows ssm:GetParameter on the mode parameter and nothing else', async () => {
    const policy = JSON.parse(await read('deploy/iam-policy.json')) as { Statement: { Effect: string; Action: unknown; Resource: unknown }[] };
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement;
    expect(statement).toMatchObject({ Effect: 'Allow', Action: 'ssm:GetParameter' });
    expect(statement?.Resource).toBe(`arn:aws:ssm:*:*:parameter${DEFAULT_SSM_PARAMETER}`);
  });
});

describe('deploy/sendmail/mailertable', () => {
  it('routes sinkhole.test to the Cloud Map name, bracketed (no MX lookup) and without a ":port"', async () => {
    const lines = (await read('deploy/sendmail/mailertable')).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines).toEqual(['sinkhole.test\tsmtp:[sinkhole.cabal.internal]']);
    const hostPart = lines[0]?.split(/\s+/)[1]?.split(':').slice(1) ?? [];
    // One host: a second ':' would name a fallback host, not a port.
    expect(hostPart).toEqual(['[sinkhole.cabal.internal]']);
  });

  it('the sinkhole answers that name in its greeting, as the task definition sets it', async () => {
    const container = (await taskDefinition()).containerDefinitions[0] as Container;
    const hostname = container.environment.find((e) => e.name === 'SINKHOLE_HOSTNAME')?.value;
    expect((await read('deploy/sendmail/mailertable'))).toContain(`[${hostname ?? ''}]`);
  });
});
