import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DOCKERFILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'Dockerfile');

/**
 * The node flags of the image's ENTRYPOINT (`["node", <flags>..., "/app/sinkhole-server.mjs"]`),
 * read from the Dockerfile so the tests follow it if it changes.
 */
export function imageNodeFlags(): string[] {
  const line = readFileSync(DOCKERFILE, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ENTRYPOINT '));
  if (line === undefined) throw new Error(`no ENTRYPOINT in ${DOCKERFILE}`);
  const argv = JSON.parse(line.slice('ENTRYPOINT '.length)) as string[];
  if (argv[0] !== 'node') throw new Error(`ENTRYPOINT does not start with node: ${line}`);
  return argv.slice(1).filter((arg) => arg.startsWith('--'));
}
