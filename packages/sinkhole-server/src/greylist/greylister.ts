import type { Clock } from '@sinkhole/mode-providers';
import type { MailPath, Reply, SessionInfo } from '@sinkhole/smtp-core';
import { clientIp } from '../client-address.js';
import { greylistReply } from '../policy/mode-replies.js';
import { tripletKey } from './greylist-key.js';
import type { GreylistOptions } from './greylist-options.js';
import { GreylistTable } from './greylist-table.js';

/** Greylist mode's RCPT TO decision: a reply for a first attempt, undefined (250) for a retry that counts. */
export class Greylister {
  readonly table: GreylistTable;
  readonly #options: GreylistOptions;
  readonly #reply: Reply;

  constructor(options: GreylistOptions, clock: Clock) {
    this.#options = options;
    this.#reply = greylistReply(options.code);
    this.table = new GreylistTable(options, clock);
  }

  decide(to: MailPath, session: SessionInfo): Reply | undefined {
    const ip = clientIp(session.remoteAddress);
    const key = this.#options.key === 'ip' ? ip : tripletKey(ip, session.envelope?.reversePath.address ?? '', to.address);
    return this.table.attempt(key, session.id) ? undefined : this.#reply;
  }
}
