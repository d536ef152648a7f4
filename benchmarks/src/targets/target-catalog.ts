import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Mode } from '../load/load-types.js';
import { DIST_DIR, SINKHOLE_BUNDLE, SINKHOLE_DOCKERFILE } from '../paths.js';
import type { PostfixTools } from '../postfix/postfix-tools.js';
import { imageNodeFlags } from '@sinkhole/test-kit';

export type TargetId = 'sinkhole' | 'smtp-core' | 'node-sink' | 'smtp-server' | 'smtp-sink';
/** Report order: ours first, then the ceiling, then the peers. */
export const TARGET_IDS: readonly TargetId[] = ['sinkhole', 'smtp-core', 'node-sink', 'smtp-server', 'smtp-sink'];
/** Measured unless --targets says otherwise; smtp-core (the bare engine) is opt-in, for profiling. */
export const DEFAULT_TARGET_IDS: readonly TargetId[] = ['sinkhole', 'node-sink', 'smtp-server', 'smtp-sink'];

export interface TargetCommand {
  readonly file: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export interface Target {
  readonly id: TargetId;
  readonly label: string;
  /** Null when it can run here, otherwise why not. */
  readonly unavailable: string | null;
  /** It can offer STARTTLS (for the TLS rows). */
  readonly tls: boolean;
  /** sinkholeMode: the sinkhole's own mode text for the scenario (other targets run the plain mode); tls: offer STARTTLS. */
  command(port: number, mode: Mode, sinkholeMode?: string, tls?: boolean): TargetCommand;
}

/** The four servers under test, each started as a separate process. */
export function buildTargets(postfix: PostfixTools): Target[] {
  const node = process.execPath;
  return [
    {
      id: 'sinkhole',
      label: 'sinkhole-server',
      unavailable: existsSync(SINKHOLE_BUNDLE) ? null : `bundle missing: ${SINKHOLE_BUNDLE} (build: npx -y pnpm@10.34.9 --filter @sinkhole/sinkhole-server run build)`,
      // Default log level, stdout to /dev/null: the JSON logging is part of what is measured.
      // The node flags of the image's ENTRYPOINT too (the young-generation cap shapes peak RSS).
      tls: true,
      command: (port, mode, sinkholeMode, tls) => ({
        file: node,
        args: [...imageNodeFlags(SINKHOLE_DOCKERFILE), SINKHOLE_BUNDLE, '--host', '127.0.0.1', '--port', String(port), '--mode-source', 'env', ...(tls === true ? ['--tls', 'on'] : [])],
        env: { SINKHOLE_MODE: sinkholeMode ?? mode },
      }),
    },
    {
      id: 'smtp-core',
      label: 'bare smtp-core engine',
      unavailable: existsSync(join(DIST_DIR, 'smtp-core-sink.mjs')) ? null : 'dist/smtp-core-sink.mjs missing (smtp-core did not bundle)',
      tls: false,
      command: (port, mode) => ({ file: node, args: [join(DIST_DIR, 'smtp-core-sink.mjs'), '--port', String(port), '--mode', mode] }),
    },
    {
      id: 'node-sink',
      label: 'minimal node:net sink',
      unavailable: existsSync(join(DIST_DIR, 'node-sink.mjs')) ? null : 'dist/node-sink.mjs missing (run: node build.mjs)',
      tls: false,
      command: (port, mode) => ({ file: node, args: [join(DIST_DIR, 'node-sink.mjs'), '--port', String(port), '--mode', mode] }),
    },
    {
      id: 'smtp-server',
      label: 'nodemailer smtp-server',
      unavailable: existsSync(join(DIST_DIR, 'smtp-server-sink.mjs')) ? null : 'dist/smtp-server-sink.mjs missing (run: node build.mjs)',
      tls: true,
      command: (port, mode, _sinkholeMode, tls) => ({
        file: node,
        args: [join(DIST_DIR, 'smtp-server-sink.mjs'), '--port', String(port), '--mode', mode, ...(tls === true ? ['--tls'] : [])],
      }),
    },
    {
      id: 'smtp-sink',
      label: 'Postfix smtp-sink',
      unavailable: postfix.available ? null : `smtp-sink unavailable: ${postfix.reason}`,
      tls: false,
      command: (port, mode) => {
        if (!postfix.available) throw new Error('smtp-sink unavailable');
        const asRoot = process.getuid?.() === 0 ? ['-u', 'nobody'] : []; // required when started as root
        // -m: concurrent sessions (default 256); -Q RCPT: 421 and disconnect after RCPT, as defer mode does.
        const defer = mode === 'defer' ? ['-Q', 'RCPT'] : [];
        return {
          file: postfix.smtpSink,
          args: [...asRoot, '-m', '20000', ...defer, `127.0.0.1:${port}`, '4096'],
          env: { LD_LIBRARY_PATH: postfix.libraryPath },
        };
      },
    },
  ];
}
