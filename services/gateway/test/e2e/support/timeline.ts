import {
  ClusterReachable,
  createMessage,
  evolveJob,
  evolveNode,
  JobEnded,
  JobPendingReasonChanged,
  JobRequeued,
  JobResourcesChanged,
  JobStarted,
  JobStateChanged,
  JobSubmitted,
  NodeAdded,
  NodeAllocationChanged,
  NodeStateChanged,
  streamName,
  type JobRecord,
  type Message,
  type MessageClass,
  type NodeRecord,
} from '@clocktower/contracts';
import type { EventStore } from '@clocktower/event-store';

/** One event of a hand-written history: where it goes and what it says. */
export interface TimelineEntry {
  readonly stream: string;
  readonly message: Message<Record<string, unknown>>;
  readonly cluster: string;
  readonly kind: 'job' | 'node' | 'cluster';
  /** Job id or node name; null for the cluster's own events. */
  readonly key: string | null;
}

export interface JobSpec {
  readonly cluster: string;
  readonly jobId: string;
  readonly name: string;
  readonly user: string;
  readonly account: string;
  readonly partition: string;
  readonly arrayJobId?: string;
  readonly arrayTaskId?: string;
  readonly cpus?: number;
  readonly gpus?: number;
}

export interface NodeSpec {
  readonly cluster: string;
  readonly name: string;
  readonly partitions: readonly string[];
  readonly cpus: number;
  readonly gpus?: number;
  readonly gpuType?: string;
}

/** Options of one event: a correlation id carries a chain (a user's cancel → the job's end). */
interface EventOptions {
  readonly correlationId?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Builds a history the way the collector writes one (the same events in the same order for each
 * observed change, see slurm-collector's job.diff.ts), with every time chosen by the test: Slurm's
 * time of a change equals the time Clocktower observed it, so durations are known exactly whichever
 * of the two a reader uses. Times are seconds after `base`. Entries come out in time order, as a
 * collector appends them.
 */
export class Timeline {
  private readonly entries: { at: number; seq: number; entry: TimelineEntry }[] = [];
  private readonly jobs = new Map<string, { stream: string; record: JobRecord }>();
  private readonly nodes = new Map<string, NodeRecord>();
  private seq = 0;
  private taken = 0;

  constructor(readonly base: number) {}

  time(seconds: number): string {
    return iso(this.base + seconds * 1_000);
  }

  submit(at: number, spec: JobSpec, reason = 'Priority'): this {
    const submitTime = this.time(at);
    const none = { cpus: null, memoryMB: null, gpus: null, nodes: null };
    const record: JobRecord = {
      cluster: spec.cluster,
      jobId: spec.jobId,
      arrayJobId: spec.arrayJobId ?? null,
      arrayTaskId: spec.arrayTaskId ?? null,
      name: spec.name,
      user: spec.user,
      account: spec.account,
      partition: spec.partition,
      qos: 'normal',
      state: 'PENDING',
      stateReason: reason,
      exitCode: null,
      signal: null,
      submitTime,
      eligibleTime: submitTime,
      startTime: null,
      endTime: null,
      timeLimitMinutes: 60,
      nodes: null,
      requested: { cpus: spec.cpus ?? 1, memoryMB: 1_024, gpus: spec.gpus ?? 0, nodes: 1 },
      allocated: none,
      workDir: `/home/${spec.user}`,
      stdout: null,
      stderr: null,
      comment: null,
      restartCount: 0,
    };
    const epoch = Math.floor(Date.parse(submitTime) / 1000);
    const stream = streamName('job', `${spec.cluster}-${spec.jobId}-${epoch}`);
    this.jobs.set(this.jobKey(spec.cluster, spec.jobId), { stream, record: undefined as never });
    this.jobEvent(at, spec.cluster, spec.jobId, JobSubmitted, {
      record,
      slurmTime: submitTime,
    });
    return this;
  }

  pendingReason(at: number, cluster: string, jobId: string, to: string): this {
    const from = this.job(cluster, jobId).record.stateReason;
    return this.jobEvent(at, cluster, jobId, JobPendingReasonChanged, { from, to });
  }

  start(at: number, cluster: string, jobId: string, nodes: string): this {
    const { record } = this.job(cluster, jobId);
    const slurmTime = this.time(at);
    this.jobEvent(at, cluster, jobId, JobStateChanged, {
      from: record.state,
      to: 'RUNNING',
      reason: null,
      slurmTime,
    });
    return this.jobEvent(at, cluster, jobId, JobStarted, {
      nodes,
      allocated: { ...record.requested },
      slurmTime,
    });
  }

  end(
    at: number,
    cluster: string,
    jobId: string,
    end: { state: string; exitCode: number | null; signal?: number; reason?: string },
    options: EventOptions = {},
  ): this {
    const { record } = this.job(cluster, jobId);
    const slurmTime = this.time(at);
    this.jobEvent(
      at,
      cluster,
      jobId,
      JobStateChanged,
      { from: record.state, to: end.state, reason: end.reason ?? null, slurmTime },
      options,
    );
    return this.jobEvent(
      at,
      cluster,
      jobId,
      JobEnded,
      {
        state: end.state,
        exitCode: end.exitCode,
        signal: end.signal ?? null,
        reason: end.reason ?? null,
        slurmTime,
      },
      options,
    );
  }

  /** Slurm put a running job back in the queue: a new submit time, a new run, the same stream. */
  requeue(at: number, cluster: string, jobId: string, reason: string): this {
    const { record } = this.job(cluster, jobId);
    const submitTime = this.time(at);
    const restartCount = (record.restartCount ?? 0) + 1;
    this.jobEvent(at, cluster, jobId, JobRequeued, {
      previousState: record.state,
      restartCount,
      slurmTime: submitTime,
    });
    this.jobEvent(at, cluster, jobId, JobStateChanged, {
      from: record.state,
      to: 'PENDING',
      reason,
      slurmTime: null,
    });
    return this.jobEvent(at, cluster, jobId, JobResourcesChanged, {
      changes: { submitTime: { from: record.submitTime, to: submitTime } },
    });
  }

  addNode(at: number, spec: NodeSpec): this {
    const record: NodeRecord = {
      cluster: spec.cluster,
      name: spec.name,
      state: 'IDLE',
      flags: [],
      reason: null,
      reasonSetBy: null,
      reasonSince: null,
      cpus: spec.cpus,
      cpusAllocated: 0,
      memoryMB: 64_000,
      memoryAllocatedMB: 0,
      gpus: spec.gpus ?? 0,
      gpusAllocated: 0,
      gpuType: spec.gpuType ?? null,
      partitions: [...spec.partitions],
      features: [],
    };
    return this.nodeEvent(at, spec.cluster, spec.name, NodeAdded, { record });
  }

  drain(at: number, cluster: string, name: string, reason: string): this {
    const node = this.node(cluster, name);
    return this.nodeEvent(at, cluster, name, NodeStateChanged, {
      fromState: node.state,
      fromFlags: node.flags,
      toState: node.state,
      toFlags: [...node.flags, 'DRAIN'].sort(),
      reason,
      reasonSetBy: 'root',
      reasonSince: this.time(at),
    });
  }

  allocate(at: number, cluster: string, name: string, cpus: number, gpus = 0): this {
    return this.nodeEvent(at, cluster, name, NodeAllocationChanged, {
      cpusAllocated: cpus,
      memoryAllocatedMB: cpus * 1_024,
      gpusAllocated: gpus,
    });
  }

  reachable(at: number, cluster: string): this {
    this.push(at, {
      stream: streamName('cluster', cluster),
      message: this.message(at, ClusterReachable, {
        cluster,
        source: `e2e fixture ${cluster}`,
        simulated: false,
      }),
      cluster,
      kind: 'cluster',
      key: null,
    });
    return this;
  }

  /** Every entry in time order (the order of the calls among equal times). */
  all(): TimelineEntry[] {
    return [...this.entries].sort((a, b) => a.at - b.at || a.seq - b.seq).map((e) => e.entry);
  }

  /** The entries added since the last take (or since the start), in time order. */
  take(): TimelineEntry[] {
    const fresh = this.entries.filter((e) => e.seq >= this.taken);
    this.taken = this.seq;
    return fresh.sort((a, b) => a.at - b.at || a.seq - b.seq).map((e) => e.entry);
  }

  /** The job's stream (its one life in this history). */
  streamOf(cluster: string, jobId: string): string {
    return this.job(cluster, jobId).stream;
  }

  private jobKey(cluster: string, jobId: string): string {
    return `${cluster}/${jobId}`;
  }

  private job(cluster: string, jobId: string): { stream: string; record: JobRecord } {
    const job = this.jobs.get(this.jobKey(cluster, jobId));
    if (!job) throw new Error(`timeline: job ${cluster}/${jobId} was never submitted`);
    return job;
  }

  private node(cluster: string, name: string): NodeRecord {
    const node = this.nodes.get(`${cluster}/${name}`);
    if (!node) throw new Error(`timeline: node ${cluster}/${name} was never added`);
    return node;
  }

  private jobEvent<T extends object>(
    at: number,
    cluster: string,
    jobId: string,
    cls: MessageClass<T>,
    fields: Omit<T, 'cluster' | 'jobId' | 'observedIn'>,
    options: EventOptions = {},
  ): this {
    const job = this.job(cluster, jobId);
    const data = { cluster, jobId, observedIn: 'squeue', ...fields } as unknown as T;
    const message = this.message(at, cls, data, options);
    job.record = evolveJob(job.record, message)!;
    this.push(at, { stream: job.stream, message, cluster, kind: 'job', key: jobId });
    return this;
  }

  private nodeEvent<T extends object>(
    at: number,
    cluster: string,
    name: string,
    cls: MessageClass<T>,
    fields: Omit<T, 'cluster' | 'node'>,
  ): this {
    const data = { cluster, node: name, ...fields } as unknown as T;
    const message = this.message(at, cls, data);
    this.nodes.set(
      `${cluster}/${name}`,
      evolveNode(this.nodes.get(`${cluster}/${name}`), message)!,
    );
    const stream = streamName('node', `${cluster}-${name}`);
    this.push(at, { stream, message, cluster, kind: 'node', key: name });
    return this;
  }

  private message<T extends object>(
    at: number,
    cls: MessageClass<T>,
    data: T,
    options: EventOptions = {},
  ): Message<Record<string, unknown>> {
    return createMessage(cls, data, {
      occurredAt: this.time(at),
      ...(options.correlationId ? { correlationId: options.correlationId } : {}),
    }) as unknown as Message<Record<string, unknown>>;
  }

  private push(at: number, entry: TimelineEntry): void {
    this.entries.push({ at, seq: this.seq++, entry });
  }
}

/** Appends the entries one by one, in order, as a collector would (each one its own append). */
export async function appendEntries(
  store: EventStore,
  entries: readonly TimelineEntry[],
): Promise<void> {
  for (const entry of entries) {
    await store.append(entry.stream, [entry.message], { expectedRevision: 'any' });
  }
}
