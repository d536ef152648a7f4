// @sinkhole/test-kit: what the workspace's tests, scripts and benchmarks share. Nothing here
// imports vitest (scripts run outside it); the per-file cleanup is ./vitest-setup.ts.
export { onCi } from './ci.js';
export { isRunning, killTracked, killTrackedNow, killTrackedOnSignals, signalChild, track, trackedChildren } from './child-registry.js';
export { freePort, portIsFree } from './free-port.js';
export { holdIdleConnections, releaseConnections } from './idle-connections.js';
export { imageNodeFlags, parseEntrypointNodeFlags } from './image-flags.js';
export { LineLog, readLines } from './line-stream.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
export { REPO_ROOT, SINKHOLE_BUNDLE, SINKHOLE_DOCKERFILE } from './paths.js';
export { fdCount, memoryMb, nofileLimits, readCpuMs, readMemory, readSystemBusyMs, rssMb, RssSampler, type MemoryStatus, type Pid } from './proc-stats.js';
export { parseLogLine, SinkholeProcess, type Exit, type LogLine, type SinkholeOptions } from './sinkhole-process.js';
export { SmtpTestClient, type ConnectOptions, type Ending, type SmtpReply } from './smtp-client.js';
export {
  STAND_IN_PARAMETER,
  standInClientConfig,
  standInEnv,
  startSsmStandIn,
  type SsmFault,
  type SsmStandIn,
  type SsmStandInOptions,
  type SsmStandInRequest,
} from './ssm-stand-in.js';
export { makeTempDir, removeDir, writeAtomically } from './temp-dir.js';
