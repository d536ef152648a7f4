export {
  STAND_IN_PARAMETER,
  standInClientConfig,
  startSsmStandIn,
  type SsmFault,
  type SsmStandIn,
  type SsmStandInOptions,
  type SsmStandInRequest,
} from './ssm-stand-in.js';
export { createManualClock, type ManualClock } from './manual-clock.js';
