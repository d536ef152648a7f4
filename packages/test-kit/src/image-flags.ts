import { readFileSync } from 'node:fs';
import { SINKHOLE_DOCKERFILE } from './paths.js';

/**
 * The node flags the sinkhole's container image starts it with, read from the Dockerfile's
 * exec-form ENTRYPOINT (e.g. ["node", "--max-semi-space-size=2", "/app/sinkhole-server.mjs"]),
 * so tests, the soak and the benchmarks run the process as deployed and follow the Dockerfile
 * if it changes. Throws when the file has no such line.
 */
export function imageNodeFlags(dockerfile: string = SINKHOLE_DOCKERFILE): string[] {
  const text = readFileSync(dockerfile, 'utf8');
  if (!/^\s*ENTRYPOINT\s*\[\s*"node"/m.test(text)) throw new Error(`no exec-form ENTRYPOINT ["node", ...] in ${dockerfile}`);
  return parseEntrypointNodeFlags(text);
}

/** The leading `--` flags of the last exec-form ENTRYPOINT when it starts with node; else []. */
export function parseEntrypointNodeFlags(text: string): string[] {
  const lines = text.split('\n').filter((l) => /^\s*ENTRYPOINT\s*\[/.test(l));
  const last = lines.at(-1);
  if (last === undefined) return [];
  let argv: unknown;
  try {
    argv = JSON.parse(last.slice(last.indexOf('[')));
  } catch {
    return [];
  }
  if (!Array.isArray(argv) || argv[0] !== 'node') return [];
  const flags: string[] = [];
  for (const arg of argv.slice(1)) {
    if (typeof arg !== 'string' || !arg.startsWith('--')) break;
    flags.push(arg);
  }
  return flags;
}
