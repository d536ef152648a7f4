import { escapeHelp, formatValue, isLabelName, isMetricName, labelText } from './text-format.js';

export type MetricType = 'counter' | 'gauge';

/** One time series: a value behind a fixed set of label values, resolved once and kept. */
export class MetricChild {
  /** The rendered `{name="value",...}`, built once when the child is created. */
  readonly labels: string;
  value = 0;

  constructor(labels: string) {
    this.labels = labels;
  }

  /** Adds to the value; for counters `by` is never negative (callers pass counts and sizes). */
  inc(by = 1): void {
    this.value += by;
  }

  set(value: number): void {
    this.value = value;
  }
}

/**
 * A metric and its children, one per label-value combination. Resolve children once
 * (at start-up or the first time a combination occurs) and keep them: {@link labels} builds a
 * key and may allocate, {@link MetricChild.inc} never does.
 */
export class MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labelNames: readonly string[];
  readonly #children = new Map<string, MetricChild>();
  /** The highest number of children; a bug that turns unbounded input into labels fails loudly. */
  readonly #maxChildren: number;

  constructor(name: string, help: string, type: MetricType, labelNames: readonly string[], maxChildren: number) {
    if (!isMetricName(name)) throw new RangeError(`invalid metric name ${JSON.stringify(name)}`);
    if (type === 'counter' && !name.endsWith('_total')) throw new RangeError(`counter ${name} must end in _total`);
    for (const label of labelNames) if (!isLabelName(label)) throw new RangeError(`invalid label name ${JSON.stringify(label)} on ${name}`);
    this.name = name;
    this.help = help;
    this.type = type;
    this.labelNames = labelNames;
    this.#maxChildren = maxChildren;
  }

  /** The child for these label values (in labelNames order). */
  labels(...values: string[]): MetricChild {
    if (values.length !== this.labelNames.length) {
      throw new RangeError(`${this.name} takes ${this.labelNames.length} label values, got ${values.length}`);
    }
    const key = values.length === 1 ? (values[0] as string) : values.join('\u0000');
    let child = this.#children.get(key);
    if (child === undefined) {
      if (this.#children.size >= this.#maxChildren) throw new RangeError(`${this.name} has more than ${this.#maxChildren} label sets`);
      child = new MetricChild(labelText(this.labelNames, values));
      this.#children.set(key, child);
    }
    return child;
  }

  /** Drops every child (the gauges that are rebuilt on each scrape). */
  clear(): void {
    this.#children.clear();
  }

  /** The family in text format: HELP, TYPE, then one line per child. */
  render(): string {
    let out = `# HELP ${this.name} ${escapeHelp(this.help)}\n# TYPE ${this.name} ${this.type}\n`;
    for (const child of this.#children.values()) out += `${this.name}${child.labels} ${formatValue(child.value)}\n`;
    return out;
  }
}
