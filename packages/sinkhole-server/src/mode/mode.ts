import type { EnhancedCode } from '@sinkhole/smtp-core';
import type { ScenarioDocument } from '../scenario/scenario-types.js';

/** What the sinkhole does with the next connection. */
export type Mode =
  | { readonly kind: 'defer' }
  | { readonly kind: 'bounce' }
  | { readonly kind: 'accept' }
  | { readonly kind: 'accept-log' }
  | { readonly kind: 'greylist' }
  | {
      readonly kind: 'reply';
      readonly code: number;
      readonly enhanced: EnhancedCode;
      readonly text: string;
    }
  | {
      readonly kind: 'scenario';
      readonly document: ScenarioDocument;
      /** The document as canonical JSON (no white space). */
      readonly text: string;
    };

export type ModeKind = Mode['kind'];

/** The modes that are a bare word, in the order they are listed to operators. */
export const SIMPLE_MODE_KINDS = ['defer', 'bounce', 'accept', 'accept-log', 'greylist'] as const;

/**
 * Served whenever no good mode has ever been read: a broken control plane must
 * never make the sinkhole accept mail.
 */
export const DEFAULT_MODE: Mode = Object.freeze({ kind: 'defer' });
