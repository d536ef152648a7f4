import type { Clock } from '@sinkhole/mode-providers';
import type { MailPath, Reply, SessionInfo } from '@sinkhole/smtp-core';
import { clientIp } from '../client-address.js';
import { greylistReply } from '../policy/mode-replies.js';
import { tripletKey } from './greylist-key.js';
import type { GreylistOptions } from './greylist-options.js';
import { GreylistTable } from './greylist-table.js';

/** Counts the decisions (the metrics' two children). */
export interface GreylistOutcomes {
  readonly passed: { inc(): void };
  readonly greylisted: { inc(): void };
}

/** Greylist mode's RCPT TO decision: a reply for a first attempt, undefined (250) for a retry that counts. */
export class Greylister {
  readonly table: GreylistTable;
  readonly #options: GreylistOptions;
  readonly #reply: Reply;
  readonly #outcomes: GreylistOutcomes | undefined;

  constructor(options: GreylistOptions, clock: Clock, outcomes?: GreylistOutcomes) {
    this.#options = options;
    this.#outcomes = outcomes;
    this.#reply = greylistReply(options.code);
    this.table = new GreylistTable(options, clock);
  }

  decide(to: MailPath, session: SessionInfo): Reply | undefined {
    const ip = clientIp(session.remoteAddress);
    const key = this.#options.key === 'ip' ? ip : tripletKey(ip, session.envelope?.reversePath.address ?? '', to.address);
    if (this.table.attempt(key, session.id)) {
      this.#outcomes?.passed.inc();
      return undefined;
    }
    this.#outcomes?.greylisted.inc();
    return this.#reply;
  }
}
