import { parseCount, parseDuration } from '../../src/cli/values.js';

export interface SoakOptions {
  readonly durationMs: number;
  /** Concurrent client loops. */
  readonly concurrency: number;
  /** How often the mode file is flipped (accept, defer, bounce, accept-log in turn). */
  readonly flipEveryMs: number;
  /** Include the hostile clients in the mix. */
  readonly hostile: boolean;
  /** node flags for the server child; default the image's ENTRYPOINT flags. */
  readonly nodeFlags: readonly string[] | undefined;
  /** Where the CSV and the verdict go. */
  readonly outDir: string | undefined;
  /** Verdict thresholds. */
  readonly maxRssSlopeMbPerMin: number;
  readonly maxFdSlopePerMin: number;
  readonly maxLoopDelayMs: number;
}

export const SOAK_HELP = `Usage: pnpm soak -- [options]   (tsx --conditions=source packages/sinkhole-server/scripts/soak/soak.ts)

Runs the sinkhole (startSinkhole, file mode source, bundled from the current sources with esbuild
and run in a child process with the image's node flags) under a mixed load for a chosen time,
samples it every second from inside (RSS, heap, external memory, open descriptors, active
handles, event-loop delay, connections, log counts), and writes a CSV and a short verdict.

The load: per-message connections, reused connections (5 messages each), QUIT-only connections,
and with --hostile (the default) resets in the middle of DATA, garbage commands, HTTP requests,
64 KiB lines, clients that pipeline 20,000 HELP without reading for a while, silent clients and
2 MB messages. The mode file flips through accept, defer, bounce and accept-log.

Options:
  --duration DURATION        how long to run the load (default 60s; e.g. 10m, 2h)
  --concurrency N            concurrent client loops (default 32)
  --flip-every DURATION      mode flip period (default 5s)
  --no-hostile               only well-behaved clients
  --node-flags "FLAGS"       node flags for the server (default: the Dockerfile ENTRYPOINT's)
  --out DIR                  output directory (default .cache/soak at the repository root)
  --max-rss-slope MB         verdict: largest RSS slope after the first quarter, MB/min (default 2)
  --max-fd-slope N           verdict: largest slope of (descriptors - connections), per min (default 1)
                             (slopes are judged only when that window is 2 minutes or longer:
                             garbage-collector saw-teeth swamp them in shorter runs)
  --max-loop-delay MS        verdict: largest event-loop delay seen, ms (default 200)
  -h, --help                 print this help

Exit status: 0 PASS, 1 FAIL (the verdict says why), 2 bad option.`;

const VALUE_FLAGS = new Set(['--duration', '--flip-every', '--concurrency', '--max-rss-slope', '--max-fd-slope', '--max-loop-delay', '--node-flags', '--out']);

export type SoakArgs = { readonly kind: 'run'; readonly options: SoakOptions } | { readonly kind: 'help' } | { readonly kind: 'error'; readonly message: string };

/** Parses the soak command line. */
export function parseSoakArgs(argv: readonly string[]): SoakArgs {
  const o = {
    durationMs: 60_000,
    concurrency: 32,
    flipEveryMs: 5_000,
    hostile: true,
    nodeFlags: undefined as readonly string[] | undefined,
    outDir: undefined as string | undefined,
    maxRssSlopeMbPerMin: 2,
    maxFdSlopePerMin: 1,
    maxLoopDelayMs: 200,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--') continue;
    if (flag === '-h' || flag === '--help') return { kind: 'help' };
    if (flag === '--no-hostile') {
      o.hostile = false;
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) return { kind: 'error', message: `unknown option ${flag} (see --help)` };
    const value = argv[++i];
    if (value === undefined) return { kind: 'error', message: `${flag} needs a value` };
    const duration = (): number | string => {
      const r = parseDuration(value);
      return r.ok ? r.value : `${flag}: ${r.problem}`;
    };
    const count = (): number | string => {
      const r = parseCount(value);
      return r.ok ? r.value : `${flag}: ${r.problem}`;
    };
    let parsed: number | string | undefined;
    switch (flag) {
      case '--duration':
        parsed = duration();
        if (typeof parsed === 'number') o.durationMs = parsed;
        break;
      case '--flip-every':
        parsed = duration();
        if (typeof parsed === 'number') o.flipEveryMs = parsed;
        break;
      case '--concurrency':
        parsed = count();
        if (typeof parsed === 'number') o.concurrency = Math.max(1, parsed);
        break;
      case '--max-rss-slope':
      case '--max-fd-slope':
      case '--max-loop-delay': {
        const n = Number(value);
        if (!Number.isFinite(n) || n < 0) return { kind: 'error', message: `${flag}: expected a number >= 0` };
        if (flag === '--max-rss-slope') o.maxRssSlopeMbPerMin = n;
        else if (flag === '--max-fd-slope') o.maxFdSlopePerMin = n;
        else o.maxLoopDelayMs = n;
        break;
      }
      case '--node-flags':
        o.nodeFlags = value.split(/\s+/).filter((f) => f !== '');
        break;
      case '--out':
        o.outDir = value;
        break;
      default:
        return { kind: 'error', message: `unknown option ${flag} (see --help)` };
    }
    if (typeof parsed === 'string') return { kind: 'error', message: parsed };
  }
  return { kind: 'run', options: o };
}
