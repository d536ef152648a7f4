import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standInEnv, startSsmStandIn, type SsmStandIn } from '@sinkhole/test-kit';

const run = promisify(execFile);
const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
// An ESM bundle of the SDK's CommonJS build needs a real require for node: built-ins.
const REQUIRE_BANNER = "import { createRequire as __mpCreateRequire } from 'node:module'; const require = __mpCreateRequire(import.meta.url);";

let standIn: SsmStandIn;
let workDir: string;

beforeAll(async () => {
  standIn = await startSsmStandIn({ parameters: { '/cabal/sinkhole_mode': 'reply:451 4.7.1 Greylisted' } });
  // Under the OS temp dir, so no node_modules folder is reachable from the bundles.
  workDir = await mkdtemp(join(tmpdir(), 'mode-bundle-'));
  await writeFile(
    join(workDir, 'entry.ts'),
    `import { envModeProvider, ssmModeProvider } from ${JSON.stringify(join(srcDir, 'index.ts'))};
const env = await envModeProvider({ env: { SINKHOLE_MODE: 'accept' } }).lookup();
console.log('env ' + env.trim());
const ssm = ssmModeProvider({ timeoutMs: 5000 });
try {
  console.log('ssm ' + (await ssm.lookup()).trim());
} catch (error) {
  console.log('ssm-error ' + String((error as { code?: unknown }).code) + ' ' + String((error as Error).message));
}
ssm.destroy();
`,
  );
});
afterAll(async () => {
  await standIn.close();
  await rm(workDir, { recursive: true, force: true });
});

async function bundleAndRun(name: string, options: { external: string[]; splitting: boolean }) {
  const outdir = join(workDir, name);
  const result = await build({
    entryPoints: [join(workDir, 'entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir,
    outExtension: { '.js': '.mjs' },
    banner: { js: REQUIRE_BANNER },
    metafile: true,
    logLevel: 'silent',
    ...options,
  });
  const { AWS_PROFILE: _profile, ...env } = process.env;
  const { stdout } = await run(process.execPath, [join(outdir, 'entry.mjs')], {
    cwd: workDir,
    timeout: 20_000,
    env: { ...env, ...standInEnv(standIn.endpoint) },
  });
  return { stdout, inputs: Object.keys(result.metafile.inputs), files: await readdir(outdir) };
}

describe('the SSM SDK is loaded only when the ssm source is used', () => {
  it('no source file imports the SDK except as types or by a dynamic import()', async () => {
    const files = (await readdir(srcDir)).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = await readFile(join(srcDir, file), 'utf8');
      const staticImports = text.match(/^\s*(import|export)\s+(?!type\b)[^;]*from\s+['"]@aws-sdk\/[^'"]+['"]/gm);
      expect(staticImports, file).toBeNull();
    }
    const ssm = await readFile(join(srcDir, 'ssm-provider.ts'), 'utf8');
    expect(ssm).toContain("await import('@aws-sdk/client-ssm')");
  });

  it('with the SDK left out of the bundle and not installed, env works and ssm fails as a config error', async () => {
    const { stdout, inputs } = await bundleAndRun('external', { external: ['@aws-sdk/*'], splitting: false });
    expect(inputs.some((input) => input.includes('node_modules'))).toBe(false);
    expect(stdout).toContain('env accept\n');
    expect(stdout).toMatch(/ssm-error ERR_MODE_SOURCE_CONFIG .*@aws-sdk\/client-ssm is not installed/);
  });

  it('bundled inline by esbuild, ssm works with no node_modules', async () => {
    const { stdout, files } = await bundleAndRun('inline', { external: [], splitting: false });
    expect(files).toEqual(['entry.mjs']);
    expect(stdout).toBe('env accept\nssm reply:451 4.7.1 Greylisted\n');
  });

  it('bundled by esbuild with splitting, the SDK is a separate chunk and ssm works with no node_modules', async () => {
    const { stdout, files } = await bundleAndRun('split', { external: [], splitting: true });
    expect(files.length).toBeGreaterThan(1);
    expect(stdout).toBe('env accept\nssm reply:451 4.7.1 Greylisted\n');
  });
});
