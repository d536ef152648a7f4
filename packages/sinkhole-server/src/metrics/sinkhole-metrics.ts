import type { ModeSourceError } from '@sinkhole/mode-providers';
import type { SmtpEvent } from '@sinkhole/smtp-core';
import { VERSION } from '../version.js';
import type { MetricChild, MetricFamily } from './metric-family.js';
import { MetricRegistry } from './metric-registry.js';
import { ModeMeters } from './mode-meters.js';
import { CLOSE_REASONS, MODE_KIND_RCPT_CODES } from './known-labels.js';
import { collectProcessMetrics } from './process-metrics.js';

/** What the metrics read at scrape time rather than count. */
export interface MetricSources {
  readonly connections: () => number;
  readonly greylistEntries: () => number;
  readonly greylistEvictions: () => number;
  readonly ledgerEntries: () => number;
  /** The mode kind the next connection gets, and its source kind. */
  readonly mode: () => { readonly kind: string; readonly source: string };
  /** Lookups failed in a row, 0 when the last one succeeded (or the mode is fixed). */
  readonly providerFailures: () => number;
}

/** `ssm:/cabal/sinkhole_mode` → `ssm`: a label with one value per kind of source. */
export function sourceKind(source: string): string {
  const colon = source.indexOf(':');
  return colon === -1 ? source : source.slice(0, colon);
}

/**
 * The sinkhole's metrics, fed from what it already does: the engine's connect, close, limit
 * and hook events, the policy's decisions (through {@link ModeMeters}), the greylist's
 * outcomes and the mode cache's lookups. No label carries an address, an IP or operator text.
 */
export class SinkholeMetrics {
  readonly registry = new MetricRegistry();
  readonly #opened: MetricChild;
  readonly #closed: MetricFamily;
  readonly #limits: MetricFamily;
  readonly #hookFailures: MetricFamily;
  readonly #replies: MetricFamily;
  readonly #messages: MetricFamily;
  readonly #bodyBytes: MetricFamily;
  readonly #scripts: MetricFamily;
  readonly #modeLoads: MetricFamily;
  readonly #providerErrors: MetricFamily;
  readonly #modeChanges: MetricFamily;
  readonly #byMode = new Map<string, ModeMeters>();
  readonly greylistPassed: MetricChild;
  readonly greylistGreylisted: MetricChild;
  #sources: MetricSources | undefined;

  constructor() {
    const r = this.registry;
    r.gauge('sinkhole_build_info', 'The running build: always 1, the version in labels.', { labelNames: ['version', 'node_version'] })
      .labels(VERSION, process.versions.node)
      .set(1);
    this.#opened = r.counter('sinkhole_sessions_opened_total', 'SMTP connections accepted.').labels();
    this.#closed = r.counter('sinkhole_sessions_closed_total', 'SMTP connections closed, by why.', { labelNames: ['reason'], maxChildren: 32 });
    const open = r.gauge('sinkhole_connections_open', 'SMTP connections open now.').labels();
    this.#limits = r.counter('sinkhole_limits_reached_total', 'Times a named limit was hit (a connection over maxConnections, a line over maxLineLength, ...).', {
      labelNames: ['limit'],
      maxChildren: 32,
    });
    this.#hookFailures = r.counter('sinkhole_hook_failures_total', 'Policy hooks that threw or did not settle in time.', { labelNames: ['kind'], maxChildren: 4 });
    this.#replies = r.counter('sinkhole_smtp_replies_total', 'SMTP replies sent, by code, phase (rcpt, data-end, other) and the mode of the session.', {
      labelNames: ['code', 'phase', 'mode'],
    });
    this.#messages = r.counter('sinkhole_messages_accepted_total', 'Messages accepted (250 at the end of DATA), by mode.', { labelNames: ['mode'], maxChildren: 32 });
    this.#bodyBytes = r.counter('sinkhole_message_body_bytes_total', 'Body bytes of accepted messages, after dot-unstuffing, by mode.', {
      labelNames: ['mode'],
      maxChildren: 32,
    });
    this.#scripts = r.counter('sinkhole_script_replies_total', 'RCPT TO answered by an address script (+421x2.250), by the code it gave.', {
      labelNames: ['code'],
      maxChildren: 600,
    });
    const greylist = r.counter('sinkhole_greylist_decisions_total', 'Greylist decisions at RCPT TO.', { labelNames: ['outcome'], maxChildren: 2 });
    this.greylistGreylisted = greylist.labels('greylisted');
    this.greylistPassed = greylist.labels('passed');
    const greylistEntries = r.gauge('sinkhole_greylist_entries', 'Entries in the greylist table.').labels();
    const greylistEvictions = r.counter('sinkhole_greylist_evictions_total', 'Greylist entries dropped because the table was full.').labels();
    this.#modeLoads = r.counter('sinkhole_mode_loads_total', 'Successful reads of the mode source, by source kind.', { labelNames: ['source'], maxChildren: 16 });
    this.#providerErrors = r.counter('sinkhole_mode_provider_errors_total', 'Failed reads of the mode source, by source kind and error code.', {
      labelNames: ['source', 'code'],
      maxChildren: 64,
    });
    this.#modeChanges = r.counter('sinkhole_mode_changes_total', 'Times the mode changed, by source kind.', { labelNames: ['source'], maxChildren: 16 });
    const failing = r.gauge('sinkhole_mode_provider_consecutive_failures', 'Reads of the mode source that failed in a row; 0 when the last one worked.', {
      labelNames: ['source'],
      maxChildren: 16,
    });
    const modeInfo = r.gauge('sinkhole_mode_info', 'The mode the next connection gets: 1 for its kind and source, and only that series.', {
      labelNames: ['mode', 'source'],
      maxChildren: 16,
    });
    const ledger = r.gauge('sinkhole_attempt_ledger_entries', 'Keys in the attempt ledger.').labels();
    r.collect(() => {
      const sources = this.#sources;
      if (sources === undefined) return;
      open.set(sources.connections());
      greylistEntries.set(sources.greylistEntries());
      greylistEvictions.set(sources.greylistEvictions());
      ledger.set(sources.ledgerEntries());
      const mode = sources.mode();
      const source = sourceKind(mode.source);
      modeInfo.clear();
      modeInfo.labels(mode.kind, source).set(1);
      failing.clear();
      failing.labels(source).set(sources.providerFailures());
    });
    collectProcessMetrics(r);
    for (const reason of CLOSE_REASONS) this.#closed.labels(reason);
    for (const [kind, codes] of Object.entries(MODE_KIND_RCPT_CODES)) this.forMode(kind).declare(codes);
  }

  /** Connects the scrape-time readings once the server exists. */
  bind(sources: MetricSources): void {
    this.#sources = sources;
  }

  /** The counters of sessions in one mode kind (resolved once per kind). */
  forMode(kind: string): ModeMeters {
    let meters = this.#byMode.get(kind);
    if (meters === undefined) {
      meters = new ModeMeters(kind, { replies: this.#replies, messages: this.#messages, bodyBytes: this.#bodyBytes, scripts: this.#scripts });
      this.#byMode.set(kind, meters);
    }
    return meters;
  }

  /** The engine's events that are sent without command tracing (one per connection, not per command). */
  onEngineEvent(event: SmtpEvent): void {
    switch (event.type) {
      case 'connect':
        this.#opened.inc();
        return;
      case 'close':
        this.#closed.labels(event.reason).inc();
        return;
      case 'limit':
        this.#limits.labels(event.limit).inc();
        return;
      case 'hook-error':
        this.#hookFailures.labels('error').inc();
        return;
      case 'hook-timeout':
        this.#hookFailures.labels('timeout').inc();
        return;
      case 'socket-error':
      case 'command':
      case 'reply':
        return;
    }
  }

  /** One lookup of the mode source by the cache. */
  onModeLookup(source: string, error: ModeSourceError | undefined): void {
    if (error === undefined) this.#modeLoads.labels(sourceKind(source)).inc();
    else this.#providerErrors.labels(sourceKind(source), error.code).inc();
  }

  onModeChanged(source: string): void {
    this.#modeChanges.labels(sourceKind(source)).inc();
  }

  render(): string {
    return this.registry.render();
  }
}
