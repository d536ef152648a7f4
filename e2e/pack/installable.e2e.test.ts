// The packages install and work outside the repository: pnpm pack smtp-core, mode-providers and
// sinkhole-server; npm install the tarballs (and typescript, nodemailer and their types from the
// registry) into a fresh project under the OS temp dir; compile consumer/example.ts with
// tsc --strict and no skipLibCheck; run it: nodemailer sends, the example awaits sinkhole.waitFor().
import { access, copyFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../lib/paths.js';
import { runCommand } from '../lib/run-command.js';
import { makeTempDir, removeTempDir } from '../lib/temp-dir.js';
import { describeE2E } from '../lib/tier.js';

const PACKAGES = ['smtp-core', 'mode-providers', 'sinkhole-server'] as const;
const CONSUMER = new URL('./consumer/', import.meta.url);
/** What the built packages must hold before they can be packed (pnpm build makes them). */
const BUILT = ['packages/smtp-core/dist/index.d.ts', 'packages/mode-providers/dist/index.d.ts', 'packages/sinkhole-server/dist/index.mjs', 'packages/sinkhole-server/dist/types/index.d.ts'];

async function rootDevVersion(name: string): Promise<string> {
  const root = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const version = root.devDependencies[name];
  if (version === undefined) throw new Error(`the root package.json has no devDependency ${name}`);
  return version;
}

describeE2E('the packages, installed outside the repository', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await makeTempDir('pack');
  });

  afterAll(async () => {
    if (dir !== undefined) await removeTempDir(dir);
  });

  it('pnpm pack, npm install the tarballs into a fresh TypeScript project, tsc --strict, run: nodemailer sends and waitFor sees it', { timeout: 600_000 }, async () => {
    for (const file of BUILT) {
      await access(join(REPO_ROOT, file)).catch(() => {
        throw new Error(`${file} is missing: build first (npx -y pnpm@10.34.9 -r --sort run build)`);
      });
    }
    const tarballs = join(dir, 'tarballs');
    for (const name of PACKAGES) {
      const packed = await runCommand('npx', ['--yes', 'pnpm@10.34.9', 'pack', '--pack-destination', tarballs], {
        cwd: join(REPO_ROOT, 'packages', name),
        timeoutMs: 120_000,
      });
      expect(packed.code, `${packed.stdout}\n${packed.stderr}`).toBe(0);
    }
    const files = await readdir(tarballs);
    const tarball = (name: string): string => {
      const file = files.find((f) => f === `sinkhole-${name}-0.1.0.tgz`);
      if (file === undefined) throw new Error(`no tarball for ${name} in ${files.join(', ')}`);
      return `file:${join(tarballs, file)}`;
    };
    // What the registry would publish: no workspace: ranges, nothing private.
    const manifest = await runCommand('tar', ['-xzOf', tarball('sinkhole-server').slice(5), 'package/package.json'], { timeoutMs: 20_000 });
    const published = JSON.parse(manifest.stdout) as { private?: boolean; dependencies: Record<string, string>; types: string };
    expect(published.private).toBeUndefined();
    expect(Object.values(published.dependencies).some((v) => v.startsWith('workspace:'))).toBe(false);
    expect(published.types).toBe('./dist/types/index.d.ts');

    const project = join(dir, 'consumer');
    await runCommand('mkdir', ['-p', project], { timeoutMs: 5_000 });
    const local = { '@sinkhole/smtp-core': tarball('smtp-core'), '@sinkhole/mode-providers': tarball('mode-providers') };
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify(
        {
          name: 'sinkhole-consumer',
          private: true,
          type: 'module',
          dependencies: {
            '@sinkhole/sinkhole-server': tarball('sinkhole-server'),
            ...local,
            nodemailer: await rootDevVersion('nodemailer'),
          },
          devDependencies: {
            typescript: await rootDevVersion('typescript'),
            '@types/node': await rootDevVersion('@types/node'),
            '@types/nodemailer': await rootDevVersion('@types/nodemailer'),
          },
          // The @sinkhole packages come from the tarballs, never from a registry.
          overrides: local,
        },
        null,
        2,
      ),
    );
    await copyFile(new URL('tsconfig.json', CONSUMER), join(project, 'tsconfig.json'));
    await copyFile(new URL('example.ts', CONSUMER), join(project, 'example.ts'));
    const tsconfig = JSON.parse(await readFile(join(project, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, skipLibCheck: false });

    const install = await runCommand('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, timeoutMs: 300_000 });
    expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);
    const compile = await runCommand(join(project, 'node_modules/.bin/tsc'), ['-p', project], { cwd: project, timeoutMs: 120_000 });
    expect(compile.code, `${compile.stdout}\n${compile.stderr}`).toBe(0);
    const run = await runCommand(process.execPath, [join(project, 'dist/example.js')], { cwd: project, timeoutMs: 60_000 });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({
      mailFrom: 'app@example.test',
      rcptTo: ['user@sinkhole.test'],
      deferred: '421 4.3.2 Service temporarily unavailable',
    });
  });
});
