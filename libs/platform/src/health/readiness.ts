import type { ReadinessCheckResult, ServiceHealthReport } from '@clocktower/contracts';

/** One thing a service needs before it can do its work (the bus, the store, a cluster…). */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves with an optional detail when fine; throws (with the reason) when not. */
  check(): Promise<string | undefined>;
}

export const READINESS_CHECK_TIMEOUT_MS = 2_000;

async function run(check: ReadinessCheck): Promise<ReadinessCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      check.check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${READINESS_CHECK_TIMEOUT_MS} ms`)),
          READINESS_CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return detail === undefined
      ? { name: check.name, ok: true }
      : { name: check.name, ok: true, detail };
  } catch (error) {
    return {
      name: check.name,
      ok: false,
      detail: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** A service's readiness: all of its checks, run side by side, each bounded in time. */
export class Readiness {
  private readonly startedAt = Date.now();
  private readonly checks: ReadinessCheck[] = [];

  constructor(
    readonly service: string,
    readonly version: string,
  ) {}

  add(...checks: ReadinessCheck[]): this {
    this.checks.push(...checks);
    return this;
  }

  async report(): Promise<ServiceHealthReport> {
    const checks = await Promise.all(this.checks.map(run));
    return {
      service: this.service,
      ready: checks.every((c) => c.ok),
      checks,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      version: this.version,
    };
  }
}
