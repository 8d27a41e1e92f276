/** What one load run measured, whichever tool made the requests. */
export interface LoadRun {
  readonly label: string;
  readonly seconds: number;
  /** Responses received (any status). */
  readonly completed: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /**
   * Paced runs only: requests the gateway had not answered when the run gave up on them (it fell
   * too far behind). Counted in the latencies with the time they had waited by then, a lower bound.
   */
  readonly unanswered: number;
  /** Smallest and largest 2xx response seen, in bytes: a short one is not a full page. */
  readonly minBytes: number;
  readonly maxBytes: number;
  /** The first few distinct errors, to name what went wrong. */
  readonly errorSamples: readonly string[];
}

/** Collects one run's responses; latencies in milliseconds, kept whole for exact percentiles. */
export class LoadRecorder {
  private latencies = new Float64Array(1 << 16);
  private count = 0;
  non2xx = 0;
  errors = 0;
  unanswered = 0;
  private readonly errorSamples = new Set<string>();
  minBytes = Number.POSITIVE_INFINITY;
  maxBytes = 0;

  record(statusCode: number, bytes: number, latencyMs: number): void {
    this.latency(latencyMs);
    if (statusCode < 200 || statusCode > 299) {
      this.non2xx++;
      return;
    }
    if (bytes < this.minBytes) this.minBytes = bytes;
    if (bytes > this.maxBytes) this.maxBytes = bytes;
  }

  /** A request given up on after waiting `waitedMs`: a latency of at least that. */
  giveUp(waitedMs: number): void {
    this.unanswered++;
    this.latency(waitedMs);
  }

  private latency(ms: number): void {
    if (this.count === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.count++] = ms;
  }

  error(error: unknown): void {
    this.errors++;
    if (this.errorSamples.size < 3) {
      this.errorSamples.add(
        error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      );
    }
  }

  summarize(label: string, seconds: number): LoadRun {
    const sorted = this.latencies.slice(0, this.count).sort();
    const answered = this.count - this.unanswered;
    const at = (q: number): number =>
      sorted.length === 0
        ? Number.NaN
        : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return {
      label,
      seconds,
      completed: answered,
      requestsPerSecond: answered / seconds,
      p50Ms: at(0.5),
      p90Ms: at(0.9),
      p99Ms: at(0.99),
      maxMs: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
      non2xx: this.non2xx,
      errors: this.errors,
      unanswered: this.unanswered,
      minBytes: answered === this.non2xx ? 0 : this.minBytes,
      maxBytes: this.maxBytes,
      errorSamples: [...this.errorSamples],
    };
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
