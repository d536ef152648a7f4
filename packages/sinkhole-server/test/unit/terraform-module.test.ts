// The Terraform tier (deploy/terraform), checked offline: parsed by the real HCL parser, then the plan's
// invariants asserted on the parsed blocks. What this cannot catch is in deploy/terraform/README.md.
import { DEFAULT_SSM_PARAMETER } from '@sinkhole/mode-providers';
import { parseMode } from '../../src/mode/parse-mode.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PORT } from '../../src/cli/server-flags.js';
import {
  EXAMPLE_DIR, MODULE_DIR, allTerraformFiles, blocks, evaluateString, loadConfig, references, target, unwrap,
  type Body, type Config,
} from '../support/terraform.js';

let mod: Config;
let example: Config;

beforeAll(async () => {
  [mod, example] = await Promise.all([loadConfig(MODULE_DIR), loadConfig(EXAMPLE_DIR)]);
});

const resource = (address: string): Body => {
  const body = mod.resources[address];
  if (body === undefined) throw new Error(`no resource ${address} in the module`);
  return body;
};
const lifecycle = (address: string): Body => blocks(resource(address), 'lifecycle')[0] ?? {};
const gate = (body: Body): string | undefined =>
  body['for_each'] === undefined ? (body['count'] === undefined ? undefined : unwrap(body['count'])) : unwrap(body['for_each']);

const UNGATED = ['aws_ecr_repository.sinkhole'];

describe('deploy/terraform: the files', () => {
  it('every .tf parses, and each belongs to the module or the example root module', async () => {
    const files = await allTerraformFiles();
    expect(files.length).toBeGreaterThan(10);
    const loaded = [...mod.files.map((f) => `modules/sinkhole/${f}`), ...example.files.map((f) => `examples/stage/${f}`)].sort();
    expect(loaded).toEqual(files);
  });

  it('pins Terraform and the AWS provider', () => {
    for (const config of [mod, example]) {
      const [settings] = config.terraform;
      expect(settings?.['required_version']).toMatch(/^>= 1\.\d+/);
      const [providers] = blocks(settings, 'required_providers');
      expect(providers?.['aws']).toMatchObject({ source: 'hashicorp/aws' });
    }
  });
});

describe('deploy/terraform: every reference resolves', () => {
  async function check(config: Config, outputsOf: Record<string, Config>): Promise<void> {
    const declared = new Set([
      ...Object.keys(config.variables).map((n) => `var.${n}`),
      ...Object.keys(config.locals).map((n) => `local.${n}`),
      ...Object.keys(config.modules).map((n) => `module.${n}`),
      ...Object.keys(config.resources),
      ...Object.keys(config.data).map((n) => `data.${n}`),
    ]);
    const gated = new Set([
      ...Object.entries(config.resources).filter(([, b]) => gate(b) !== undefined).map(([a]) => a),
      ...Object.entries(config.data).filter(([, b]) => gate(b) !== undefined).map(([a]) => `data.${a}`),
    ]);
    const scopes: { path: string; body: unknown; iterates: 'for_each' | 'count' | undefined }[] = [
      { path: 'locals', body: config.locals, iterates: undefined },
      { path: 'output', body: config.outputs, iterates: undefined },
      { path: 'variable', body: config.variables, iterates: undefined },
      { path: 'provider', body: config.providers, iterates: undefined },
      ...Object.entries(config.modules).map(([n, body]) => ({ path: `module.${n}`, body, iterates: undefined })),
      ...[...Object.entries(config.resources), ...Object.entries(config.data).map(([a, b]) => [`data.${a}`, b] as const)].map(
        ([path, body]) => ({ path, body, iterates: body['for_each'] !== undefined ? 'for_each' as const : body['count'] !== undefined ? 'count' as const : undefined }),
      ),
    ];
    const used = new Set<string>();
    for (const scope of scopes) {
      for (const ref of await references(scope.body, scope.path)) {
        const where = `${ref.path}: ${ref.value}`;
        // A variable's type is a type constraint (list(string)), not an expression.
        if (scope.path === 'variable' && /^variable\.\w+\.type$/.test(ref.path)) continue;
        const root = ref.value.split('.')[0];
        // Inside a dynamic "NAME" block, NAME.key / NAME.value is the block's iterator.
        if (new RegExp(`\\.dynamic\\.${root ?? ''}\\[\\d+\\]\\.`).test(ref.path)) continue;
        // ignore_changes lists the resource's own attribute names.
        if (/\.lifecycle\[0\]\.ignore_changes\[\d+\]$/.test(ref.path)) continue;
        if (root === 'each') expect(scope.iterates, where).toBe('for_each');
        else if (root === 'count') expect(scope.iterates, where).toBe('count');
        else if (root === 'path') expect(ref.value, where).toBe('path.module');
        else if (root === 'self') expect.fail(`${where}: self is only valid in provisioners`);
        else {
          const address = target(ref.value);
          used.add(address);
          // A validation block may only reference its own variable (before Terraform 1.9).
          if (scope.path === 'variable') expect(ref.path.startsWith(`variable.${address.slice(4)}.`), where).toBe(true);
          expect(declared, where).toContain(address);
          // A gated resource is a map of instances: it must be indexed; an ungated one must not.
          if (!address.startsWith('var.') && !address.startsWith('local.') && !address.startsWith('module.')) {
            expect(ref.indexed, where).toBe(gated.has(address));
          }
          if (address.startsWith('module.')) {
            const outputs = outputsOf[address.slice('module.'.length)];
            const output = ref.value.split('.')[2];
            expect(outputs?.outputs, where).toHaveProperty(output ?? '');
          }
        }
      }
    }
    // Nothing declared and left unused: every variable, local and data source is read somewhere.
    const unused = [...declared].filter((a) => /^(var|local|data)\./.test(a) && !used.has(a));
    expect(unused).toEqual([]);
  }

  it('in the module: var.*, local.*, resources and data sources are declared; gated ones are indexed', async () => {
    await check(mod, {});
  });

  it('in the example: the same, and module outputs exist', async () => {
    await check(example, { sinkhole: mod });
  });

  it('the example passes only the module\'s variables, and every one without a default', () => {
    const call = example.modules['sinkhole'] ?? {};
    expect(call['source']).toBe('../../modules/sinkhole');
    const passed = Object.keys(call).filter((k) => k !== 'source');
    for (const name of passed) expect(Object.keys(mod.variables), name).toContain(name);
    const required = Object.entries(mod.variables).filter(([, v]) => !('default' in v)).map(([n]) => n);
    for (const name of required) expect(passed, name).toContain(name);
  });
});

describe('deploy/terraform: var.sinkhole gates the tier, not the repository', () => {
  it('local.tier is one instance when the flag is on and none when it is off', () => {
    expect(unwrap(mod.locals['tier'])).toBe('var.sinkhole ? toset(["sinkhole"]) : toset([])');
    expect(mod.variables['sinkhole']).toMatchObject({ type: '${bool}', default: false });
  });

  it('every resource but the ECR repository has for_each/count on the flag', () => {
    for (const [address, body] of Object.entries(mod.resources)) {
      const g = gate(body);
      if (UNGATED.includes(address)) {
        expect(g, address).toBeUndefined();
        continue;
      }
      expect(g, `${address} is not gated`).toBeDefined();
      expect(g === 'local.tier' || /^var\.sinkhole \? .+ : (\{\}|toset\(\[\]\))$/.test(g ?? ''), `${address}: ${g ?? ''}`).toBe(true);
    }
  });

  it('the repository survives: prevent_destroy, and nothing gated', () => {
    expect(lifecycle('aws_ecr_repository.sinkhole')['prevent_destroy']).toBe(true);
    expect(resource('aws_ecr_repository.sinkhole')['name']).toBe('${var.ecr_repository_name}');
    expect(mod.variables['ecr_repository_name']?.['default']).toBe('cabal-sinkhole');
  });

  it('the prod precondition is on the task definition, word for word as the plan has it', () => {
    const preconditions = blocks(lifecycle('aws_ecs_task_definition.sinkhole'), 'precondition');
    const prod = preconditions.filter((p) => unwrap(p['condition']) === '!(var.sinkhole && var.environment == "prod")');
    expect(prod).toEqual([{ condition: '${!(var.sinkhole && var.environment == "prod")}', error_message: 'Sinkhole tier must never run in prod.' }]);
  });

  it('the HTTP listener cannot be asked for without its token: a second precondition', () => {
    const conditions = blocks(lifecycle('aws_ecs_task_definition.sinkhole'), 'precondition').map((p) => unwrap(p['condition']));
    expect(conditions).toContain('var.http_port == null || var.http_token_parameter_arn != null');
    expect(conditions).toHaveLength(2);
  });
});

describe('deploy/terraform: the tier\'s resources', () => {
  it('the SSM parameter: the program\'s default name, String, "defer", operator changes kept', () => {
    const parameter = resource('aws_ssm_parameter.mode');
    expect(parameter).toMatchObject({ name: '${var.ssm_parameter_name}', type: 'String', value: 'defer' });
    expect(mod.variables['ssm_parameter_name']?.['default']).toBe(DEFAULT_SSM_PARAMETER);
    expect(parseMode(parameter['value'] as string)).toMatchObject({ ok: true, mode: { kind: 'defer' } });
    expect(lifecycle('aws_ssm_parameter.mode')['ignore_changes']).toEqual(['${value}']);
  });

  it('the task definition: awsvpc on EC2, both roles, container definitions from the one template', () => {
    const task = resource('aws_ecs_task_definition.sinkhole');
    expect(task).toMatchObject({ network_mode: 'awsvpc', requires_compatibilities: ['EC2'] });
    expect(task['task_role_arn']).toBe('${aws_iam_role.task[each.key].arn}');
    expect(task['execution_role_arn']).toBe('${aws_iam_role.execution[each.key].arn}');
    expect(unwrap(task['container_definitions'])).toMatch(/^templatefile\("\$\{path\.module\}\/container-definitions\.json\.tftpl",/);
    expect(lifecycle('aws_ecs_task_definition.sinkhole')['ignore_changes']).toEqual(['${container_definitions}']);
  });

  it('the service: EC2, desired count 1, 0 when quiesced, reachable only through Cloud Map', () => {
    const service = resource('aws_ecs_service.sinkhole');
    expect(service).toMatchObject({ launch_type: 'EC2', cluster: '${var.cluster_arn}' });
    expect(unwrap(service['desired_count'])).toBe('var.quiesced ? 0 : 1');
    expect(service['load_balancer']).toBeUndefined();
    expect(blocks(service, 'service_registries')).toEqual([{ registry_arn: '${aws_service_discovery_service.sinkhole[each.key].arn}' }]);
    const [network] = blocks(service, 'network_configuration');
    expect(network?.['subnets']).toBe('${var.subnet_ids}');
    expect(unwrap(network?.['security_groups'])).toBe('concat([aws_security_group.sinkhole[each.key].id], var.additional_security_group_ids)');
    expect(mod.variables['quiesced']?.['default']).toBe(false);
  });

  it('Cloud Map: "sinkhole" in the namespace, an A record with TTL 10, so sinkhole.cabal.internal', () => {
    const discovery = resource('aws_service_discovery_service.sinkhole');
    expect(discovery['name']).toBe('sinkhole');
    const [dns] = blocks(discovery, 'dns_config');
    expect(dns?.['namespace_id']).toBe('${var.cloud_map_namespace_id}');
    expect(blocks(dns, 'dns_records')).toEqual([{ type: 'A', ttl: 10 }]);
    expect(evaluateString(mod, mod.locals['hostname'])).toBe('sinkhole.cabal.internal');
  });

  it('the log group is the one the container logs to, with the retention input', () => {
    const group = resource('aws_cloudwatch_log_group.sinkhole');
    expect(evaluateString(mod, group['name'])).toBe('/ecs/cabal-sinkhole');
    expect(group['retention_in_days']).toBe('${var.log_retention_days}');
  });
});

describe('deploy/terraform: the security group', () => {
  it('has no inline rules and no legacy rule resources: the rule resources below are all there is', () => {
    const group = resource('aws_security_group.sinkhole');
    expect(group['ingress']).toBeUndefined();
    expect(group['egress']).toBeUndefined();
    const ruleTypes = Object.keys(mod.resources).filter((a) => /security_group.*rule/.test(a)).map((a) => a.split('.')[0]);
    expect(new Set(ruleTypes)).toEqual(new Set(['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']));
    expect(Object.keys(mod.resources).filter((a) => /security_group.*rule/.test(a))).toHaveLength(2);
  });

  it('ingress: TCP 25, and the HTTP port only when it is set, from the VPC CIDR only', () => {
    const ingress = resource('aws_vpc_security_group_ingress_rule.from_vpc');
    expect(unwrap(ingress['for_each'])).toBe('var.sinkhole ? local.ingress_ports : {}');
    expect(ingress).toMatchObject({ ip_protocol: 'tcp', from_port: '${each.value}', to_port: '${each.value}', cidr_ipv4: '${var.vpc_cidr_block}' });
    expect(ingress['cidr_ipv6']).toBeUndefined();
    expect(ingress['referenced_security_group_id']).toBeUndefined();
    expect(unwrap(mod.locals['ingress_ports']).replace(/\s+/g, ' ')).toBe(
      'merge( { smtp = local.smtp_port }, local.http_enabled ? { http = var.http_port } : {}, )',
    );
    expect(mod.locals['smtp_port']).toBe(DEFAULT_PORT);
    expect(unwrap(mod.locals['http_enabled'])).toBe('var.http_port != null');
    expect(mod.variables['http_port']?.['default']).toBeNull();
  });

  it('egress: TCP 443 only (SSM and CloudWatch Logs), to the VPC CIDR unless told otherwise', () => {
    const egress = resource('aws_vpc_security_group_egress_rule.https_to_aws_apis');
    expect(egress).toMatchObject({ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '${each.value}' });
    expect(unwrap(mod.locals['api_egress_cidr_blocks'])).toBe('var.api_egress_cidr_blocks == null ? [var.vpc_cidr_block] : var.api_egress_cidr_blocks');
  });
});

describe('deploy/terraform: least-privilege IAM', () => {
  const statements = (name: string): Body[] => blocks(mod.data[`aws_iam_policy_document.${name}`], 'statement');

  it('the task role may ssm:GetParameter on the mode parameter\'s ARN, and nothing else', () => {
    expect(statements('task')).toEqual([
      { sid: 'ReadTheSinkholeModeParameterOnly', effect: 'Allow', actions: ['ssm:GetParameter'], resources: ['${aws_ssm_parameter.mode[each.key].arn}'] },
    ]);
    expect(resource('aws_iam_role_policy.task')['policy']).toBe('${data.aws_iam_policy_document.task[each.key].json}');
  });

  it('the execution role may pull this repository\'s image and write this log group, and nothing else', () => {
    const granted = statements('execution').map((s) => ({ effect: s['effect'], actions: s['actions'], resources: s['resources'] }));
    expect(granted).toEqual([
      // GetAuthorizationToken has no resource-level permissions: ECR tokens are account-wide.
      { effect: 'Allow', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
      {
        effect: 'Allow',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: ['${aws_ecr_repository.sinkhole.arn}'],
      },
      { effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['${aws_cloudwatch_log_group.sinkhole[each.key].arn}:log-stream:*'] },
    ]);
    expect(resource('aws_iam_role_policy.execution')['policy']).toBe('${data.aws_iam_policy_document.execution[each.key].json}');
    // With the HTTP listener only: ssm:GetParameters on the token parameter, which ECS injects as a secret.
    const dynamic = (mod.data['aws_iam_policy_document.execution']?.['dynamic'] as { statement?: Body[] } | undefined)?.statement;
    expect(dynamic).toHaveLength(1);
    expect(unwrap(dynamic?.[0]?.['for_each'])).toBe('local.http_enabled ? [var.http_token_parameter_arn] : []');
    expect(blocks(dynamic?.[0], 'content').map((c) => ({ actions: c['actions'], resources: c['resources'] }))).toEqual([
      { actions: ['ssm:GetParameters'], resources: ['${statement.value}'] },
    ]);
  });

  it('no wildcard action, no managed policy attachment, no other policy resource', () => {
    for (const [address, body] of Object.entries(mod.data)) {
      const dynamicStatements = ((body['dynamic'] as { statement?: Body[] } | undefined)?.statement ?? []).flatMap((b) => blocks(b, 'content'));
      for (const statement of [...blocks(body, 'statement'), ...dynamicStatements]) {
        for (const action of (statement['actions'] ?? []) as string[]) expect(action, address).not.toContain('*');
        expect(statement['not_actions'], address).toBeUndefined();
      }
    }
    const iam = Object.keys(mod.resources).filter((a) => a.startsWith('aws_iam_')).sort();
    expect(iam).toEqual(['aws_iam_role.execution', 'aws_iam_role.task', 'aws_iam_role_policy.execution', 'aws_iam_role_policy.task']);
  });

  it('both roles trust ecs-tasks.amazonaws.com from this account only', () => {
    const [trust, ...more] = statements('assume_by_ecs_tasks');
    expect(more).toEqual([]);
    expect(trust).toMatchObject({ effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }] });
    expect(blocks(trust, 'condition')).toEqual([
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['${data.aws_caller_identity.current.account_id}'] },
    ]);
    for (const role of ['task', 'execution']) {
      expect(resource(`aws_iam_role.${role}`)['assume_role_policy']).toBe('${data.aws_iam_policy_document.assume_by_ecs_tasks[each.key].json}');
    }
  });
});

describe('deploy/terraform: the smtp-out side', () => {
  it('SINKHOLE_ENABLED=true is handed to smtp-out exactly when the tier is on', () => {
    expect(unwrap(mod.outputs['smtp_out_environment']?.['value'])).toBe('var.sinkhole ? [{ name = "SINKHOLE_ENABLED", value = "true" }] : []');
    expect(unwrap(example.locals['smtp_out_environment'])).toBe('concat(local.smtp_out_environment_base, module.sinkhole.smtp_out_environment)');
  });
});
