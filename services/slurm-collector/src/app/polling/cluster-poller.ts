import type { LoggerService } from '@nestjs/common';
import type { JobRecord, NodeRecord } from '@clocktower/contracts';
import type { EventStore } from '@clocktower/event-store';
import type { SlurmSource } from '../../adapters/sources/slurm-source.port.js';
import { parseJobs, parseNodes } from '../../domain/parsers/index.js';
import {
  ClusterState,
  decideAccounting,
  decideNodes,
  decideQueue,
  decideReachability,
  forgetSettledJobs,
} from '../../domain/cluster-state.js';
import { decideJob, type ObservedIn } from '../../domain/job.diff.js';
import { decideNode } from '../../domain/node.diff.js';
import type { StreamDecision } from '../../domain/event-draft.js';
import { writeDecisions } from '../../adapters/store/decision-writer.js';

export interface PollSchedule {
  readonly queueMs: number;
  readonly nodesMs: number;
  readonly accountingMs: number;
  /** Longest wait between polls of an unreachable cluster. */
  readonly maxBackoffMs: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = {
  queueMs: 5_000,
  nodesMs: 30_000,
  accountingMs: 60_000,
  maxBackoffMs: 300_000,
};

export type PollKind = 'queue' | 'nodes' | 'accounting';

export interface PollerStatus {
  readonly cluster: string;
  readonly source: string;
  readonly simulated: boolean;
  readonly reachable: boolean | undefined;
  readonly lastSuccessAt: string | undefined;
  readonly lastFailure:
    { readonly at: string; readonly poll: PollKind; readonly reason: string } | undefined;
  readonly consecutiveFailures: number;
  readonly polls: { readonly ok: number; readonly failed: number };
  readonly eventsAppended: number;
  readonly jobsKnown: number;
  readonly nodesKnown: number;
}

export interface ClusterPollerOptions {
  readonly cluster: string;
  readonly source: SlurmSource;
  readonly store: EventStore;
  readonly logger: LoggerService;
  readonly schedule?: PollSchedule;
  readonly clock?: () => Date;
  /**
   * After every poll, good or failed (the watch publishes ClusterPolled, so the projection shows
   * how fresh its view of the cluster is). `ok` only when what the poll saw is stored.
   */
  readonly onPolled?: (poll: PollOutcome) => void;
}

export interface PollOutcome {
  readonly cluster: string;
  readonly poll: PollKind;
  readonly ok: boolean;
  /** The poll's observation time when ok, else when it failed (ISO 8601). */
  readonly polledAt: string;
}

/**
 * Watches one cluster: polls its queue, nodes and accounting on their own schedules, one poll at a
 * time, and appends one event per observed change. A failed poll (unreachable, timeout, malformed
 * output) writes no partial events, keeps the last good state, and is retried with backoff;
 * reachability changes become cluster events.
 */
export class ClusterPoller {
  readonly state: ClusterState;
  private readonly schedule: PollSchedule;
  private readonly clock: () => Date;
  private chain: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private vanished: string[] = [];
  private lastSweepUntil: Date | undefined;
  private counters = { ok: 0, failed: 0, events: 0, consecutiveFailures: 0 };
  private lastSuccessAt: string | undefined;
  private lastFailure: PollerStatus['lastFailure'];
  /** Commands waiting for their job's next observed change, by job id. */
  private readonly expected = new Map<
    string,
    { readonly eventId: string; readonly correlationId: string }
  >();

  constructor(private readonly options: ClusterPollerOptions) {
    this.state = new ClusterState(options.cluster);
    this.schedule = options.schedule ?? DEFAULT_POLL_SCHEDULE;
    this.clock = options.clock ?? (() => new Date());
  }

  /** Rebuilds what is known of this cluster from the store: a restart resumes from there. */
  async hydrate(): Promise<void> {
    const { cluster } = this.options;
    const prefixes = [`job-${cluster}-`, `node-${cluster}-`];
    for (const category of ['job', 'node', 'cluster']) {
      for await (const event of this.options.store.readAll({ category })) {
        if (
          event.stream === this.state.clusterStream ||
          prefixes.some((p) => event.stream.startsWith(p))
        ) {
          this.state.apply(event.stream, event.revision, event);
        }
      }
    }
  }

  start(): void {
    const loop = (kind: PollKind, everyMs: number): void => {
      const run = async (): Promise<void> => {
        if (this.stopped) return;
        await this.poll(kind);
        if (this.stopped) return;
        const backoff =
          this.counters.consecutiveFailures === 0
            ? everyMs
            : Math.min(
                everyMs * 2 ** this.counters.consecutiveFailures,
                this.schedule.maxBackoffMs,
              );
        this.timers.push(setTimeout(() => void run(), backoff));
      };
      void run();
    };
    loop('nodes', this.schedule.nodesMs);
    loop('queue', this.schedule.queueMs);
    loop('accounting', this.schedule.accountingMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
    await this.chain.catch(() => undefined);
  }

  /** One poll, queued behind any poll of this cluster in progress. Never throws. */
  poll(kind: PollKind): Promise<void> {
    const next = this.chain.then(() => this.pollNow(kind));
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** The job's next observed change continues this command's chain (correlation and causation). */
  expectChange(
    jobId: string,
    cause: { readonly eventId: string; readonly correlationId: string },
  ): void {
    this.expected.set(jobId, { eventId: cause.eventId, correlationId: cause.correlationId });
  }

  get source(): SlurmSource {
    return this.options.source;
  }

  status(): PollerStatus {
    return {
      cluster: this.options.cluster,
      source: this.options.source.description,
      simulated: this.options.source.simulated,
      reachable: this.state.reachable,
      lastSuccessAt: this.lastSuccessAt,
      lastFailure: this.lastFailure,
      consecutiveFailures: this.counters.consecutiveFailures,
      polls: { ok: this.counters.ok, failed: this.counters.failed },
      eventsAppended: this.counters.events,
      jobsKnown: this.state.jobs.size,
      nodesKnown: this.state.nodes.size,
    };
  }

  private async pollNow(kind: PollKind): Promise<void> {
    const { source, cluster, logger } = this.options;
    const started = this.clock();
    let decisions: StreamDecision[];
    let observedAt: string;
    let queueIds: Set<string> | undefined;
    const observedJobs = new Map<string, JobRecord>();
    const observedNodes = new Map<string, NodeRecord>();
    let sweptUntil: Date | undefined;
    try {
      // Fetch and parse everything first: a failure here leaves the store untouched.
      if (kind === 'queue') {
        const output = await source.queue();
        const records = parseJobs(output, cluster);
        for (const r of records) observedJobs.set(r.jobId, r);
        observedAt = output.observedAt;
        const decided = decideQueue(this.state, records);
        this.vanished = [...new Set([...this.vanished, ...decided.vanished])];
        queueIds = new Set(records.map((r) => r.jobId));
        decisions = decided.decisions;
      } else if (kind === 'nodes') {
        const output = await source.nodes();
        observedAt = output.observedAt;
        const records = parseNodes(output, cluster);
        for (const r of records) observedNodes.set(r.name, r);
        decisions = decideNodes(this.state, records);
      } else {
        const until = started;
        const since = this.sweepStart(until);
        const output = await source.accounting(since, until);
        observedAt = output.observedAt;
        const records = parseJobs(output, cluster);
        for (const r of records) observedJobs.set(r.jobId, r);
        decisions = decideAccounting(this.state, records, this.vanished);
        sweptUntil = until;
      }
    } catch (error) {
      await this.recordFailure(kind, error);
      return;
    }
    try {
      const reachability = decideReachability(this.state, {
        reachable: true,
        source: source.description,
        simulated: source.simulated,
      });
      const all = (reachability ? [reachability, ...decisions] : decisions).map((decision) =>
        this.withCause(decision),
      );
      const outcome = await writeDecisions(
        this.options.store,
        all,
        observedAt,
        `poll-${cluster}-${kind}-${observedAt}`,
        (stream) =>
          this.redecide(
            stream,
            kind === 'accounting' ? 'sacct' : 'squeue',
            observedJobs,
            observedNodes,
          ),
        // Folded as each append succeeds: if a later one fails, the state still matches the store.
        (decision) => this.state.applyDecision(decision),
      );
      this.counters.events += outcome.events;
      if (sweptUntil) {
        // Only a sweep whose results are all stored moves the window on: a failed one is swept again.
        this.vanished = [];
        this.lastSweepUntil = sweptUntil;
      }
      if (queueIds && this.lastSweepUntil) {
        forgetSettledJobs(
          this.state,
          queueIds,
          new Date(this.lastSweepUntil.getTime() - this.schedule.accountingMs * 2).toISOString(),
        );
      }
      this.counters.ok++;
      this.counters.consecutiveFailures = 0;
      this.lastSuccessAt = observedAt;
      this.reportPoll(kind, true, observedAt);
      logger.debug?.({
        msg: 'poll done',
        cluster,
        poll: kind,
        events: outcome.events,
        ms: this.clock().getTime() - started.getTime(),
      });
    } catch (error) {
      // The store failed. What it confirmed is folded already; an append it may have taken without
      // saying so is read back, so the next poll decides from what is really stored.
      this.counters.failed++;
      logger.error({
        msg: 'appending poll results failed',
        cluster,
        poll: kind,
        error: (error as Error).message,
      });
      await this.resync(decisions.map((d) => d.stream)).catch(() => undefined);
      this.reportPoll(kind, false, this.clock().toISOString());
    }
  }

  private reportPoll(poll: PollKind, ok: boolean, polledAt: string): void {
    try {
      this.options.onPolled?.({ cluster: this.options.cluster, poll, ok, polledAt });
    } catch (error) {
      this.options.logger.warn({
        msg: 'reporting a poll failed',
        cluster: this.options.cluster,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async resync(streams: readonly string[]): Promise<void> {
    for (const stream of streams) {
      for await (const event of this.options.store.readStream(stream))
        this.state.apply(stream, event.revision, event);
    }
  }

  private async recordFailure(kind: PollKind, error: unknown): Promise<void> {
    const { cluster, source, logger } = this.options;
    const reason = `${kind}: ${error instanceof Error ? error.message : String(error)}`;
    const at = this.clock().toISOString();
    this.counters.failed++;
    this.counters.consecutiveFailures++;
    this.lastFailure = { at, poll: kind, reason };
    logger.warn({
      msg: 'poll failed; keeping the last good state',
      cluster,
      poll: kind,
      reason,
      consecutiveFailures: this.counters.consecutiveFailures,
    });
    this.reportPoll(kind, false, at);
    const decision = decideReachability(this.state, {
      reachable: false,
      source: source.description,
      reason,
    });
    if (!decision) return;
    try {
      await writeDecisions(
        this.options.store,
        [decision],
        at,
        `poll-${cluster}-${kind}-${at}`,
        () => Promise.resolve(undefined),
      );
      this.state.applyDecision(decision);
    } catch (appendError) {
      logger.error({
        msg: 'recording the cluster as unreachable failed',
        cluster,
        error: (appendError as Error).message,
      });
    }
  }

  private withCause(decision: StreamDecision): StreamDecision {
    const jobId = decision.events[0]?.data && (decision.events[0].data as { jobId?: string }).jobId;
    const cause = jobId === undefined ? undefined : this.expected.get(jobId);
    if (!cause || jobId === undefined) return decision;
    this.expected.delete(jobId);
    return { ...decision, cause };
  }

  /** After a conflict: fold the stream as it is stored, then decide again what this poll saw. */
  private async redecide(
    stream: string,
    observedIn: ObservedIn,
    jobs: ReadonlyMap<string, JobRecord>,
    nodes: ReadonlyMap<string, NodeRecord>,
  ): Promise<StreamDecision | undefined> {
    let subject: { jobId: string | undefined; node: string | undefined } = {
      jobId: undefined,
      node: undefined,
    };
    for await (const event of this.options.store.readStream(stream)) {
      this.state.apply(stream, event.revision, event);
      subject = {
        jobId: event.data['jobId'] as string | undefined,
        node: event.data['node'] as string | undefined,
      };
    }
    if (subject.jobId !== undefined) {
      const observed = jobs.get(subject.jobId);
      return observed
        ? decideJob(this.state.jobs.get(subject.jobId), observed, observedIn)
        : undefined;
    }
    if (subject.node !== undefined) {
      const observed = nodes.get(subject.node);
      return observed ? decideNode(this.state.nodes.get(subject.node), observed) : undefined;
    }
    return undefined;
  }

  /** The accounting window: from the last sweep, or far enough back to cover every job still open. */
  private sweepStart(until: Date): Date {
    if (this.lastSweepUntil) return new Date(this.lastSweepUntil.getTime() - 1_000);
    let oldest = until.getTime() - this.schedule.accountingMs * 2;
    for (const { record } of this.state.jobs.values()) {
      const submitted = record.submitTime ? Date.parse(record.submitTime) : NaN;
      if (!Number.isNaN(submitted) && submitted < oldest) oldest = submitted;
    }
    return new Date(oldest);
  }
}
