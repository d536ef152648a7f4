/** Bounds of a scenario document; a document past any of them is refused, never cut. */
export const DOCUMENT_LIMITS = Object.freeze({
  /** Characters of the whole text; an SSM standard parameter holds 4 KB. */
  maxDocumentLength: 4096,
  maxRules: 100,
  /** Addresses or networks in one rule's `client`. */
  maxClients: 16,
  /** Longest delay before a reply: 10 minutes (sendmail's longest default command timeout is 1 h). */
  maxDelayMs: 10 * 60_000,
  /** Longest pause between two bytes of a trickled reply. */
  maxTrickleMs: 10_000,
  /** Lines of one multi-line reply. */
  maxReplyLines: 16,
  maxNameLength: 64,
  maxHeaderNameLength: 76,
});
