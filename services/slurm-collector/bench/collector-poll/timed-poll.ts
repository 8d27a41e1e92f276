import type { JobRecord, NodeRecord } from '@clocktower/contracts';
import type { EventStore } from '@clocktower/event-store';
import {
  ClusterState,
  decideNodes,
  decideQueue,
  decideReachability,
  forgetSettledJobs,
  parseJobs,
  parseNodes,
  writeDecisions,
  type RawOutput,
  type StreamDecision,
} from '@clocktower/slurm-collector';

/**
 * The steps of `ClusterPoller.pollNow` (src/app/polling/cluster-poller.ts) for a queue and a nodes
 * poll, in its order and with its bookkeeping, with a clock between the steps. The poller itself
 * cannot be split that way from outside, and its timers and chain add nothing to measure.
 *
 *   parse:  body → records, plus the by-id map the poller keeps for re-deciding after a conflict;
 *   diff:   records → decisions, the vanished list, the set of job ids in the queue, reachability;
 *   append: writeDecisions (one append per changed stream, with its expected revision), then
 *           applyDecision for each written decision, then forgetSettledJobs, which the poller runs
 *           on every queue poll once an accounting sweep has run, as it has in any steady state.
 */
export interface StepTimes {
  readonly parseMs: number;
  readonly diffMs: number;
  readonly appendMs: number;
  readonly totalMs: number;
  readonly decisions: number;
  readonly events: number;
}

export interface QueuePollTimes extends StepTimes {
  /** The job ids the decisions are about, to check that exactly the changed jobs were decided. */
  readonly decidedJobIds: readonly string[];
}

const ACCOUNTING_MS = 60_000;

export class TimedPoll {
  readonly state: ClusterState;
  #vanished: string[] = [];

  constructor(
    readonly cluster: string,
    private readonly store: EventStore,
    /** Called between steps, outside the timed spans: the caller samples memory there. */
    private readonly between: () => void = () => undefined,
  ) {
    this.state = new ClusterState(cluster);
  }

  async queue(output: RawOutput): Promise<QueuePollTimes> {
    const started = performance.now();
    const records = parseJobs(output, this.cluster);
    const observedJobs = new Map<string, JobRecord>();
    for (const r of records) observedJobs.set(r.jobId, r);
    const parsed = performance.now();
    this.between();

    const diffStarted = performance.now();
    const decided = decideQueue(this.state, records);
    this.#vanished = [...new Set([...this.#vanished, ...decided.vanished])];
    const queueIds = new Set(records.map((r) => r.jobId));
    const decisions = this.#withReachability(decided.decisions);
    const diffed = performance.now();
    this.between();

    const appendStarted = performance.now();
    const events = await this.#append(decisions, output, 'queue');
    // The poller's window: the last sweep ended at this poll, settled means two sweeps before.
    const settledBefore = new Date(Date.parse(output.observedAt) - 2 * ACCOUNTING_MS);
    forgetSettledJobs(this.state, queueIds, settledBefore.toISOString());
    const appended = performance.now();
    this.between();

    observedJobs.clear();
    return {
      ...times(started, parsed, diffStarted, diffed, appendStarted, appended),
      decisions: decisions.length,
      events,
      decidedJobIds: decisions.flatMap((d) => {
        const jobId = (d.events[0]?.data as { jobId?: unknown } | undefined)?.jobId;
        return typeof jobId === 'string' ? [jobId] : [];
      }),
    };
  }

  async nodes(output: RawOutput): Promise<StepTimes> {
    const started = performance.now();
    const records = parseNodes(output, this.cluster);
    const observedNodes = new Map<string, NodeRecord>();
    for (const r of records) observedNodes.set(r.name, r);
    const parsed = performance.now();
    this.between();

    const diffStarted = performance.now();
    const decisions = this.#withReachability(decideNodes(this.state, records));
    const diffed = performance.now();
    this.between();

    const appendStarted = performance.now();
    const events = await this.#append(decisions, output, 'nodes');
    const appended = performance.now();
    this.between();

    observedNodes.clear();
    return {
      ...times(started, parsed, diffStarted, diffed, appendStarted, appended),
      decisions: decisions.length,
      events,
    };
  }

  #withReachability(decisions: StreamDecision[]): StreamDecision[] {
    const reachability = decideReachability(this.state, {
      reachable: true,
      source: 'simulator snapshot fixture (benchmark)',
      simulated: true,
    });
    return reachability ? [reachability, ...decisions] : decisions;
  }

  async #append(decisions: StreamDecision[], output: RawOutput, kind: string): Promise<number> {
    const outcome = await writeDecisions(
      this.store,
      decisions,
      output.observedAt,
      `poll-${this.cluster}-${kind}-${output.observedAt}`,
      (stream) =>
        Promise.reject(
          new Error(`conflict on ${stream}: nothing but this poll writes to the benchmark store`),
        ),
    );
    for (const decision of outcome.written) this.state.applyDecision(decision);
    return outcome.events;
  }
}

function times(
  started: number,
  parsed: number,
  diffStarted: number,
  diffed: number,
  appendStarted: number,
  appended: number,
): Pick<StepTimes, 'parseMs' | 'diffMs' | 'appendMs' | 'totalMs'> {
  const parseMs = parsed - started;
  const diffMs = diffed - diffStarted;
  const appendMs = appended - appendStarted;
  return { parseMs, diffMs, appendMs, totalMs: parseMs + diffMs + appendMs };
}
