import type { ModeProviderEvent } from '@sinkhole/mode-providers';
import { formatMode } from '../mode/format-mode.js';
import type { Mode } from '../mode/mode.js';
import type { SinkholeLog } from './sinkhole-log.js';

/** Logs what the mode cache reports: changes, the first error of a streak, the recovery. */
export function logModeEvent(log: SinkholeLog, event: ModeProviderEvent<Mode>): void {
  switch (event.type) {
    case 'mode-changed':
      log.log('info', {
        msg: 'mode-changed',
        from: event.from === undefined ? null : formatMode(event.from),
        to: formatMode(event.to),
        source: event.source,
      });
      return;
    case 'provider-error':
      log.log('warn', {
        msg: 'mode-provider-error',
        source: event.source,
        code: event.code,
        error: event.message,
        usingMode: formatMode(event.usingMode),
        usingStale: event.usingStale,
      });
      return;
    case 'provider-recovered':
      log.log('info', { msg: 'mode-provider-recovered', source: event.source, failures: event.failures, mode: formatMode(event.mode) });
      return;
  }
}
