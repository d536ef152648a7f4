// Reads deploy/terraform offline: every .tf parsed by the real HCL parser (@cdktf/hcl2json, HCL compiled to
// WASM), references found by the same library, and the container-definitions template rendered with the
// subset of Terraform's template language it uses (anything else is an error, so the subset cannot drift).
import { readdir, readFile } from 'node:fs/promises';
import { getReferencesInExpression, parse } from '@cdktf/hcl2json';

export const REPO = new URL('../../../../', import.meta.url);
export const TERRAFORM = new URL('deploy/terraform/', REPO);
export const MODULE_DIR = new URL('modules/sinkhole/', TERRAFORM);
export const EXAMPLE_DIR = new URL('examples/stage/', TERRAFORM);

/** One block body as hcl2json gives it: attributes, and nested blocks as arrays of bodies. */
export type Body = Record<string, unknown>;

/** A configuration directory: its top-level block kinds, merged over every .tf file in it. */
export interface Config {
  readonly dir: URL;
  readonly files: readonly string[];
  readonly variables: Record<string, Body>;
  readonly locals: Record<string, unknown>;
  readonly outputs: Record<string, Body>;
  readonly modules: Record<string, Body>;
  /** `type.name` -> body, for `resource` blocks. */
  readonly resources: Record<string, Body>;
  /** `type.name` -> body, for `data` blocks (addressed as `data.type.name`). */
  readonly data: Record<string, Body>;
  readonly terraform: readonly Body[];
  /** provider blocks, by provider name. */
  readonly providers: Record<string, Body>;
}

function single(blocks: unknown, where: string): Body {
  if (!Array.isArray(blocks) || blocks.length !== 1) throw new Error(`${where}: expected exactly one block`);
  return blocks[0] as Body;
}

function addNamed(into: Record<string, Body>, group: unknown, where: string, prefix = ''): void {
  for (const [name, blocks] of Object.entries((group ?? {}) as Record<string, unknown>)) {
    const key = `${prefix}${name}`;
    if (key in into) throw new Error(`${where}: ${key} declared twice`);
    into[key] = single(blocks, `${where} ${key}`);
  }
}

export async function loadConfig(dir: URL): Promise<Config> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tf')).sort();
  const config = {
    dir, files, variables: {}, locals: {}, outputs: {}, modules: {}, resources: {}, data: {}, terraform: [] as Body[], providers: {},
  } satisfies Config;
  for (const file of files) {
    const parsed = (await parse(file, await readFile(new URL(file, dir), 'utf8'))) as Record<string, unknown>;
    for (const kind of Object.keys(parsed)) {
      if (!['variable', 'locals', 'output', 'module', 'resource', 'data', 'terraform', 'provider'].includes(kind)) {
        throw new Error(`${file}: unexpected top-level block ${kind}`);
      }
    }
    addNamed(config.variables, parsed['variable'], file);
    addNamed(config.outputs, parsed['output'], file);
    addNamed(config.modules, parsed['module'], file);
    addNamed(config.providers, parsed['provider'], file);
    for (const locals of (parsed['locals'] ?? []) as Body[]) {
      for (const [name, value] of Object.entries(locals)) {
        if (name in config.locals) throw new Error(`${file}: local.${name} declared twice`);
        (config.locals as Record<string, unknown>)[name] = value;
      }
    }
    for (const [type, group] of Object.entries((parsed['resource'] ?? {}) as Record<string, unknown>)) {
      addNamed(config.resources, group, file, `${type}.`);
    }
    for (const [type, group] of Object.entries((parsed['data'] ?? {}) as Record<string, unknown>)) {
      addNamed(config.data, group, file, `${type}.`);
    }
    config.terraform.push(...((parsed['terraform'] ?? []) as Body[]));
  }
  return config;
}

/** Every string in a parsed body, with a path for messages. Expressions are strings that contain `${`. */
export function strings(node: unknown, path = ''): { path: string; text: string }[] {
  if (typeof node === 'string') return [{ path, text: node }];
  if (Array.isArray(node)) return node.flatMap((item, i) => strings(item, `${path}[${i}]`));
  if (node !== null && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, value]) => strings(value, path === '' ? key : `${path}.${key}`));
  }
  return [];
}

export interface Reference {
  /** e.g. `var.sinkhole`, `aws_ssm_parameter.mode`, `data.aws_region.current.name`. */
  readonly value: string;
  /** Whether an index (`[each.key]`, `["sinkhole"]`, `[0]`) follows the resource name. */
  readonly indexed: boolean;
  readonly path: string;
}

/** The references of every expression under `node`. */
export async function references(node: unknown, path = ''): Promise<Reference[]> {
  const found: Reference[] = [];
  for (const { path: at, text } of strings(node, path)) {
    if (!text.includes('${')) continue;
    for (const ref of await getReferencesInExpression('expression.tf', text)) {
      const literalIndex = /^(?:data\.)?\w+\.\w+\."/.test(ref.value);
      found.push({ value: ref.value, indexed: literalIndex || text[ref.endPosition] === '[', path: at });
    }
  }
  return found;
}

/** The address a reference points at: `var.x`, `local.x`, `module.x`, `data.t.n`, `t.n`, or the special roots. */
export function target(ref: string): string {
  const parts = ref.split('.');
  if (parts[0] === 'data') return parts.slice(0, 3).join('.');
  return parts.slice(0, 2).join('.');
}

/** The expression text without the `${ }` wrapper, for exact comparisons. */
export function unwrap(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`expected an expression string, got ${JSON.stringify(value)}`);
  const m = /^\$\{([\s\S]*)\}$/.exec(value);
  return (m?.[1] ?? value).trim();
}

/** The variable names a template uses, found statically (both branches of every `%{ if }`). */
export function templateNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/\$\{([^}]*)\}|%\{([^}]*)\}/g)) {
    const interpolation = m[1];
    const directive = m[2]?.trim();
    if (interpolation !== undefined) {
      if (!/^\w+$/.test(interpolation)) throw new Error(`template interpolates "${interpolation}", not a plain variable name`);
      names.add(interpolation);
    } else if (directive !== undefined && directive !== 'endif') {
      const cond = /^if (\w+)$/.exec(directive);
      if (cond?.[1] === undefined) throw new Error(`template uses "%{ ${directive} }": only %{ if NAME } and %{ endif } are rendered here`);
      names.add(cond[1]);
    }
  }
  return names;
}

/** Renders `${name}` and `%{ if name }...%{ endif }` as Terraform's templatefile() does. */
export function renderTemplate(text: string, vars: Readonly<Record<string, string | number | boolean>>): string {
  templateNames(text); // rejects constructs outside the subset
  const lookup = (name: string): string | number | boolean => {
    const value = vars[name];
    if (value === undefined) throw new Error(`template names ${name}, which the caller does not pass`);
    return value;
  };
  const conditionals = text.replace(/%\{ if (\w+) \}([\s\S]*?)%\{ endif \}/g, (_, name: string, inner: string) => {
    const value = lookup(name);
    if (typeof value !== 'boolean') throw new Error(`%{ if ${name} } needs a bool, got ${typeof value}`);
    return value ? inner : '';
  });
  if (conditionals.includes('%{')) throw new Error('unbalanced %{ if } / %{ endif } in the template');
  return conditionals.replace(/\$\{(\w+)\}/g, (_, name: string) => String(lookup(name)));
}

/** The keys of the object literal passed as templatefile()'s second argument. */
export function templatefileKeys(expression: string): { file: string; keys: string[] } {
  const m = /templatefile\("\$\{path\.module\}\/([^"]+)",\s*\{([\s\S]*)\}\)/.exec(expression);
  if (m?.[1] === undefined || m[2] === undefined) throw new Error(`not a templatefile("\${path.module}/...", {...}) call: ${expression}`);
  return { file: m[1], keys: [...m[2].matchAll(/^\s*(\w+)\s*=/gm)].map((k) => k[1] ?? '') };
}

/** Evaluates a string made of literal text and `${var.NAME}` / `${local.NAME}` parts, with variables' defaults. */
export function evaluateString(config: Config, value: unknown, overrides: Readonly<Record<string, string>> = {}): string {
  if (typeof value !== 'string') throw new Error(`expected a string, got ${JSON.stringify(value)}`);
  return value.replace(/\$\{([^}]*)\}/g, (_, expr: string) => {
    const m = /^(var|local)\.(\w+)$/.exec(expr.trim());
    if (m?.[1] === undefined || m[2] === undefined) throw new Error(`cannot evaluate \${${expr}} offline`);
    if (m[1] === 'var') {
      const override = overrides[m[2]];
      if (override !== undefined) return override;
      const variable = config.variables[m[2]];
      if (variable === undefined || !('default' in variable)) throw new Error(`var.${m[2]} has no default`);
      return evaluateString(config, variable['default'], overrides);
    }
    return evaluateString(config, config.locals[m[2]], overrides);
  });
}

/** The nested blocks of a body (hcl2json gives each block type as an array of bodies). */
export function blocks(body: Body | undefined, name: string): Body[] {
  const value = body?.[name];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${name} is an attribute, not a block`);
  return value as Body[];
}

/** All .tf files under deploy/terraform, relative to it. */
export async function allTerraformFiles(dir = TERRAFORM, prefix = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) found.push(...(await allTerraformFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`)));
    else if (entry.isFile() && entry.name.endsWith('.tf')) found.push(`${prefix}${entry.name}`);
  }
  return found.sort();
}
