import { existsSync, readFileSync } from 'node:fs';

/**
 * The node flags the sinkhole's container image starts it with, read from the Dockerfile's
 * exec-form ENTRYPOINT (e.g. ["node", "--max-semi-space-size=2", "/app/sinkhole-server.mjs"]),
 * so the benchmark measures the process as deployed. Empty when there is no Dockerfile or
 * no such line.
 */
export function imageNodeFlags(dockerfile: string): string[] {
  if (!existsSync(dockerfile)) return [];
  return parseEntrypointNodeFlags(readFileSync(dockerfile, 'utf8'));
}

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
