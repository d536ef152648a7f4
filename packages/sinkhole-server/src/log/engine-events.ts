import type { SmtpEvent } from '@sinkhole/smtp-core';
import { clientLabel, connectionClientLabel } from '../client-address.js';
import type { SinkholeLog } from './sinkhole-log.js';

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Logs what the engine reports that the policy does not see. Connections are logged by the policy. */
export function logEngineEvent(log: SinkholeLog, event: SmtpEvent): void {
  switch (event.type) {
    case 'limit': {
      const level = event.limit === 'maxConnections' ? 'warn' : 'debug';
      if (!log.wants(level)) return;
      const s = event.session;
      log.log(level, {
        msg: 'limit',
        id: s?.id ?? null,
        client: s === undefined ? null : clientLabel(s.remoteAddress, s.remotePort),
        limit: event.limit,
        value: event.value,
      });
      return;
    }
    case 'hook-error':
      log.log('error', {
        msg: 'hook-error',
        id: event.session.id,
        client: clientLabel(event.session.remoteAddress, event.session.remotePort),
        hook: event.hook,
        error: errorText(event.error),
      });
      return;
    case 'hook-timeout':
      log.log('warn', {
        msg: 'hook-timeout',
        id: event.session.id,
        client: clientLabel(event.session.remoteAddress, event.session.remotePort),
        hook: event.hook,
        timeoutMs: event.timeoutMs,
      });
      return;
    case 'socket-error':
      // Resets and broken pipes are the peer's business.
      if (!log.wants('debug')) return;
      log.log('debug', {
        msg: 'socket-error',
        id: event.session.id,
        client: connectionClientLabel(event.session.remoteAddress, event.session.remotePort),
        error: errorText(event.error),
      });
      return;
    case 'connect':
    case 'close':
    case 'command':
    case 'reply':
      return;
  }
}
