import { MetricFamily } from './metric-family.js';

/** Label sets per family unless a family says otherwise. */
export const DEFAULT_MAX_CHILDREN = 1000;

export interface FamilyOptions {
  readonly labelNames?: readonly string[];
  readonly maxChildren?: number;
}

/**
 * A small hand-written Prometheus registry: counters and gauges with bounded label sets,
 * rendered in text format 0.0.4. Collectors run just before each render, so values that
 * live elsewhere (open connections, table sizes) are read at scrape time, not kept in sync.
 */
export class MetricRegistry {
  readonly #families: MetricFamily[] = [];
  readonly #names = new Set<string>();
  readonly #collectors: (() => void)[] = [];

  counter(name: string, help: string, options: FamilyOptions = {}): MetricFamily {
    return this.#add(new MetricFamily(name, help, 'counter', options.labelNames ?? [], options.maxChildren ?? DEFAULT_MAX_CHILDREN));
  }

  gauge(name: string, help: string, options: FamilyOptions = {}): MetricFamily {
    return this.#add(new MetricFamily(name, help, 'gauge', options.labelNames ?? [], options.maxChildren ?? DEFAULT_MAX_CHILDREN));
  }

  /** Runs before every render; it sets gauges (and counters read from elsewhere). */
  collect(collector: () => void): void {
    this.#collectors.push(collector);
  }

  render(): string {
    for (const collector of this.#collectors) collector();
    let out = '';
    for (const family of this.#families) out += family.render();
    return out;
  }

  #add(family: MetricFamily): MetricFamily {
    if (this.#names.has(family.name)) throw new RangeError(`metric ${family.name} is registered twice`);
    this.#names.add(family.name);
    this.#families.push(family);
    return family;
  }
}
