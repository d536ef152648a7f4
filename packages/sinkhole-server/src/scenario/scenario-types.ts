import type { Extensions, Reply } from '@sinkhole/smtp-core';
import type { LedgerKeyKind } from '../ledger/ledger-key.js';
import type { AddressScript } from './address-script.js';
import type { Cidr } from './cidr.js';
import type { Glob } from './glob.js';

/** Where in the session a rule applies. */
export const PHASES = ['connect', 'helo', 'starttls', 'auth', 'mail', 'rcpt', 'data', 'data-end'] as const;
export type Phase = (typeof PHASES)[number];

export interface NumberRange {
  readonly min: number | undefined;
  readonly max: number | undefined;
}

/** What a rule matches on; every condition given must hold. */
export interface RuleConditions {
  readonly phases: ReadonlySet<Phase>;
  readonly clients: readonly Cidr[] | undefined;
  readonly helo: Glob | undefined;
  readonly from: Glob | undefined;
  readonly to: Glob | undefined;
  /** Bytes: the SIZE= parameter at MAIL (when sent), the body at data-end. */
  readonly size: NumberRange | undefined;
  readonly header: { readonly name: string; readonly value: Glob | undefined } | undefined;
  readonly attempt: NumberRange | undefined;
  /** Milliseconds since the ledger key was first seen. */
  readonly since: NumberRange | undefined;
}

/** What a matching rule answers. */
export type RuleOutcome =
  | { readonly kind: 'reply'; readonly reply: Reply }
  | { readonly kind: 'script'; readonly script: AddressScript }
  | { readonly kind: 'greylist' }
  /** STARTTLS only: 220, then the handshake is broken with a TCP RST or a fatal TLS alert. */
  | { readonly kind: 'tls-abort'; readonly abort: 'reset' | 'alert' }
  /** helo only: what this client's EHLO advertises (the helo reply is the default). */
  | { readonly kind: 'extensions'; readonly extensions: Extensions }
  /** The phase's default (250, 354, ...): for a rule that only adds a delay or a close. */
  | { readonly kind: 'default' };

/** How the answer is delivered. */
export interface RuleDelivery {
  readonly delayMs: number;
  readonly trickleMs: number;
  /** After the reply (or with none): a FIN, an RST, or nothing ever (hang). */
  readonly close: 'fin' | 'rst' | 'hang' | undefined;
}

export interface ScenarioRule {
  readonly index: number;
  readonly when: RuleConditions;
  readonly outcome: RuleOutcome;
  readonly delivery: RuleDelivery;
}

/** A validated scenario document. */
export interface ScenarioDocument {
  /** Shown in logs instead of the whole document. */
  readonly name: string | undefined;
  /** What the attempt number and the time since first seen count by. */
  readonly countBy: LedgerKeyKind;
  /** The one-word or reply: mode for whatever no rule decides (default defer). */
  readonly otherwise: string;
  readonly rules: readonly ScenarioRule[];
  /** The rules of each phase, in document order: a phase without rules costs nothing. */
  readonly byPhase: ReadonlyMap<Phase, readonly ScenarioRule[]>;
  /** Some rule matches a header, or attempts count by Message-ID: headers are captured at DATA. */
  readonly needsHeaders: boolean;
}
