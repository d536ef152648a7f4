/**
 * A log-linear histogram of latencies in microseconds, HdrHistogram-style: values below
 * SUB_BUCKETS are exact, above that each power of two is split into SUB_BUCKETS slots, so
 * a percentile is within 1/SUB_BUCKETS (< 1%) of the true value. Constant memory however
 * many samples, and mergeable across repetitions or processes.
 */
const SUB_BUCKET_BITS = 7;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS; // 128
const MAX_POWER = 32; // up to ~2^32 µs (71 minutes)
const SIZE = SUB_BUCKETS * (MAX_POWER - SUB_BUCKET_BITS + 2);

export interface HistogramSnapshot {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(SIZE);
  private total = 0;
  private sum = 0;
  private minValue = Number.POSITIVE_INFINITY;
  private maxValue = 0;

  /** Records one latency in microseconds (fractions are truncated, negatives count as 0). */
  record(micros: number): void {
    const v = micros > 0 ? Math.floor(micros) : 0;
    this.counts[bucketOf(v)]! += 1;
    this.total += 1;
    this.sum += v;
    if (v < this.minValue) this.minValue = v;
    if (v > this.maxValue) this.maxValue = v;
  }

  get count(): number {
    return this.total;
  }

  /** The value at quantile q (0..1): the lower bound of the bucket holding it, clamped to [min, max]. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.maxValue, Math.max(this.minValue, bucketFloor(i)));
    }
    return this.maxValue;
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < SIZE; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    this.sum += other.sum;
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
  }

  snapshot(): HistogramSnapshot {
    return {
      count: this.total,
      min: this.total === 0 ? 0 : this.minValue,
      max: this.maxValue,
      mean: this.total === 0 ? 0 : this.sum / this.total,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      p999: this.quantile(0.999),
    };
  }
}

/** Bucket index of a non-negative integer value. */
export function bucketOf(value: number): number {
  if (value < SUB_BUCKETS) return value;
  const power = Math.min(MAX_POWER, Math.floor(Math.log2(value)));
  const shift = power - SUB_BUCKET_BITS;
  const sub = Math.floor(value / 2 ** shift) - SUB_BUCKETS; // 0..SUB_BUCKETS-1
  return SUB_BUCKETS * (shift + 1) + Math.min(SUB_BUCKETS - 1, sub);
}

/** Smallest value that falls in bucket i. */
export function bucketFloor(index: number): number {
  if (index < SUB_BUCKETS) return index;
  const shift = Math.floor(index / SUB_BUCKETS) - 1;
  const sub = index % SUB_BUCKETS;
  return (SUB_BUCKETS + sub) * 2 ** shift;
}
