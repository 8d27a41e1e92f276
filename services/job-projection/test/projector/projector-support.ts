import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@nestjs/common';
import { parseConfig } from '@clocktower/config';
import {
  createMessage,
  GetCluster,
  GetClusterStats,
  GetJob,
  GetJobHistory,
  GetNodeHistory,
  JobStateChanged,
  JobSubmitted,
  ListClusters,
  ListJobs,
  ListNodes,
  ListProjections,
  type JobRecord,
  type JobView,
  type Message,
  type NodeView,
  type ProjectionStatus,
} from '@clocktower/contracts';
import {
  SqliteEventStore,
  type AppendOptions,
  type AppendResult,
  type EventHandler,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '@clocktower/event-store';
import { BusClient, InProcessMessageBus } from '@clocktower/messaging';
import { startService, type RunningService } from '@clocktower/platform';
import { syntheticHistory, until, type SyntheticEvent } from '@clocktower/testing';
import { JobProjectionConfig } from '../../src/app/config.js';
import { JobProjectionDefinition } from '../../src/app/job-projection.definition.js';
import {
  JobProjectionModule,
  type JobProjectionOverrides,
} from '../../src/app/job-projection.module.js';

/**
 * Shared by the projector specs: temporary data directories, a few hand-made job events, the
 * service started on the in-process bus, store wrappers that record or hold back what they hand
 * out, and a snapshot of everything the queries answer (to compare two read models).
 */

export const CLUSTER = 'alpha';

export function tempDir(): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'clocktower-projection-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openStore(dir: string): SqliteEventStore {
  return SqliteEventStore.open({ file: join(dir, 'events.db') });
}

export interface LogEntry {
  readonly level: string;
  readonly message: Record<string, unknown>;
}

/** Keeps what the service logged, to check what it says about parked events and failures. */
export class CapturingLogger implements LoggerService {
  readonly entries: LogEntry[] = [];
  private keep(level: string, message: unknown): void {
    this.entries.push({
      level,
      message:
        typeof message === 'object' && message !== null
          ? (message as Record<string, unknown>)
          : { msg: message },
    });
  }
  log(message: unknown): void {
    this.keep('log', message);
  }
  error(message: unknown): void {
    this.keep('error', message);
  }
  warn(message: unknown): void {
    this.keep('warn', message);
  }
  debug(message: unknown): void {
    this.keep('debug', message);
  }
  verbose(message: unknown): void {
    this.keep('verbose', message);
  }
  fatal(message: unknown): void {
    this.keep('fatal', message);
  }
  at(level: string): Record<string, unknown>[] {
    return this.entries.filter((e) => e.level === level).map((e) => e.message);
  }
}

export function jobRecord(jobId: string, overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    cluster: CLUSTER,
    jobId,
    arrayJobId: null,
    arrayTaskId: null,
    name: `job-${jobId}`,
    user: 'alice',
    account: 'physics',
    partition: 'cpu',
    qos: 'normal',
    state: 'PENDING',
    stateReason: 'Priority',
    exitCode: null,
    signal: null,
    submitTime: '2025-01-01T00:00:00.000Z',
    eligibleTime: '2025-01-01T00:00:00.000Z',
    startTime: null,
    endTime: null,
    timeLimitMinutes: 60,
    nodes: null,
    requested: { cpus: 1, memoryMB: 1024, gpus: 0, nodes: 1 },
    allocated: { cpus: null, memoryMB: null, gpus: null, nodes: null },
    workDir: '/home/alice',
    stdout: null,
    stderr: null,
    comment: null,
    restartCount: 0,
    ...overrides,
  };
}

export function jobStream(jobId: string): string {
  return `job-${CLUSTER}-${jobId}-1735689600`;
}

/** A pending job, then (optionally) its start: what the collector would append for it. */
export async function appendJob(
  store: EventStore,
  jobId: string,
  options: { readonly user?: string; readonly started?: boolean } = {},
): Promise<void> {
  const record = jobRecord(jobId, { user: options.user ?? 'alice' });
  const events: Message[] = [
    createMessage(
      JobSubmitted,
      { cluster: CLUSTER, jobId, observedIn: 'squeue', record, slurmTime: record.submitTime },
      { occurredAt: '2025-01-01T00:00:01.000Z' },
    ),
  ];
  if (options.started) {
    events.push(
      createMessage(
        JobStateChanged,
        {
          cluster: CLUSTER,
          jobId,
          observedIn: 'squeue',
          from: 'PENDING',
          to: 'RUNNING',
          reason: null,
          slurmTime: '2025-01-01T00:01:00.000Z',
        },
        { occurredAt: '2025-01-01T00:01:01.000Z' },
      ),
    );
  }
  await store.append(jobStream(jobId), events, { expectedRevision: 'any' });
}

/** Events gathered before they are appended, grouped by stream. */
const HISTORY_CHUNK = 10_000;

/**
 * The first `count` events of a seeded synthetic history (several clusters, requeues, reused job
 * ids, nodes draining…). Appended a chunk at a time, one append per stream of the chunk (in the
 * order the streams first appear): each stream keeps its order, and there are far fewer appends
 * than one per poll, which is what filling a store of 60,000 events costs most of.
 */
export async function appendHistory(store: EventStore, count: number, seed = 7): Promise<void> {
  let chunk = new Map<string, SyntheticEvent[]>();
  let inChunk = 0;
  const flush = async (): Promise<void> => {
    for (const [stream, events] of chunk) {
      const messages: Message[] = events.map(
        ({ type, schemaVersion, eventId, correlationId, causationId, occurredAt, data }) => ({
          type,
          schemaVersion,
          eventId,
          correlationId,
          causationId,
          occurredAt,
          data,
        }),
      );
      const first = events[0]!.revision;
      await store.append(stream, messages, {
        expectedRevision: first === 0 ? 'no_stream' : first - 1,
      });
    }
    chunk = new Map();
    inChunk = 0;
  };
  let appended = 0;
  for (const event of syntheticHistory({ seed, jobs: count, clusters: 2, nodes: 48, users: 30 })) {
    const events = chunk.get(event.stream);
    if (events) events.push(event);
    else chunk.set(event.stream, [event]);
    if (++inChunk >= HISTORY_CHUNK) await flush();
    if (++appended >= count) break;
  }
  await flush();
}

export interface Projection {
  readonly running: RunningService;
  readonly client: BusClient;
  readonly bus: InProcessMessageBus;
  readonly logger: CapturingLogger;
  status(): Promise<ProjectionStatus>;
  /** Resolves once the projection has folded everything the store holds now. */
  caughtUp(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** job-projection on the in-process bus, its read model in `dir`, following `store`. */
export async function startProjection(
  store: EventStore,
  dir: string,
  overrides: JobProjectionOverrides = {},
): Promise<Projection> {
  const bus = new InProcessMessageBus();
  const logger = new CapturingLogger();
  const config = parseConfig(JobProjectionConfig, {
    CLOCKTOWER_BUS: 'in-process',
    CLOCKTOWER_DATA: dir,
    LOG_LEVEL: 'error',
  });
  const running = await startService(
    { ...JobProjectionDefinition, module: (c) => JobProjectionModule.forContext(c, overrides) },
    { config, bus, store, logger, http: false },
  );
  const client = new BusClient(bus);
  const status = async (): Promise<ProjectionStatus> =>
    (await client.request(ListProjections, {}))[0]!;
  return {
    running,
    client,
    bus,
    logger,
    status,
    async caughtUp(timeoutMs = 10_000) {
      const head = (await store.headPosition()).toString();
      await until(
        `the projection at position ${head}`,
        async () => BigInt((await status()).position) >= BigInt(head),
        timeoutMs,
        25,
      );
    },
    async close() {
      await running.close();
      await bus.close();
    },
  };
}

/** Passes every call to the store; records where subscriptions start and what they hand out. */
export class RecordingStore implements EventStore {
  readonly subscribedFrom: (bigint | undefined)[] = [];
  readonly delivered: RecordedEvent[] = [];
  /** True while read-all waits at holdReadAllAfter. */
  held = false;
  private released: (() => void) | undefined;
  private readonly gate = new Promise<void>((resolve) => (this.released = resolve));

  constructor(
    readonly inner: EventStore,
    private readonly options: {
      /** Hand every event to the subscriber twice (at-least-once delivery at its worst). */
      readonly twice?: boolean;
      /** Start subscriptions this many positions before where they were asked to. */
      readonly rewind?: bigint;
      /** Hold read-all (a rebuild's replay) after this many events until release(). */
      readonly holdReadAllAfter?: number;
      /** Make read-all fail after this many events. */
      readonly failReadAllAfter?: number;
    } = {},
  ) {}

  release(): void {
    this.released?.();
  }

  append(
    stream: string,
    events: readonly Message[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return this.inner.append(stream, events, options);
  }
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readStream(stream, options);
  }
  async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    let n = 0;
    for await (const event of this.inner.readAll(options)) {
      if (n === this.options.failReadAllAfter) throw new Error('disk read error (simulated)');
      if (n === this.options.holdReadAllAfter) {
        this.held = true;
        await this.gate;
        this.held = false;
      }
      n++;
      yield event;
    }
  }
  subscribeToAll(handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    this.subscribedFrom.push(options.fromPosition);
    const rewind = this.options.rewind ?? 0n;
    const from = options.fromPosition ?? 0n;
    return this.inner.subscribeToAll(
      async (event) => {
        this.delivered.push(event);
        await handler(event);
        if (this.options.twice) await handler(event);
      },
      { ...options, fromPosition: from > rewind ? from - rewind : 0n },
    );
  }
  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface ModelSnapshot {
  readonly jobs: JobView[];
  readonly nodes: NodeView[];
  readonly clusters: unknown;
  readonly jobDetails: unknown[];
  readonly histories: unknown[];
}

/** Everything a client can read, through the queries: two equal snapshots mean equal models. */
export async function snapshot(client: BusClient, sample = 200): Promise<ModelSnapshot> {
  const jobs: JobView[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await client.request(ListJobs, {
      limit: 1_000,
      sort: 'jobId',
      ...(cursor === undefined ? {} : { cursor }),
    });
    jobs.push(...page.items);
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  const nodes: NodeView[] = [];
  for (let cursor: string | undefined; ;) {
    const page = await client.request(ListNodes, {
      limit: 1_000,
      ...(cursor === undefined ? {} : { cursor }),
    });
    nodes.push(...page.items);
    if (page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  const clusterList = await client.request(ListClusters, {});
  const clusters = await Promise.all(
    clusterList.map((c) => client.request(GetCluster, { cluster: c.cluster })),
  );
  // The last 1,000 ten-minute buckets before each cluster's latest event: its samples and waits.
  const stats = await Promise.all(
    clusterList.map((c) => {
      const to = c.updatedAt ?? '2000-01-01T00:00:00.000Z';
      const from = new Date(Date.parse(to) - 1_000 * 600_000).toISOString();
      return client.request(GetClusterStats, { cluster: c.cluster, from, to, step: 600 });
    }),
  );
  const every = Math.max(1, Math.floor(jobs.length / sample));
  const picked = jobs.filter((_, i) => i % every === 0);
  const jobDetails = await Promise.all(
    picked.map((j) => client.request(GetJob, { cluster: j.cluster, jobId: j.jobId })),
  );
  const histories = [
    ...(await Promise.all(
      picked.map((j) => client.request(GetJobHistory, { cluster: j.cluster, jobId: j.jobId })),
    )),
    ...(await Promise.all(
      nodes.map((n) => client.request(GetNodeHistory, { cluster: n.cluster, name: n.name })),
    )),
  ];
  return {
    jobs,
    nodes,
    clusters: { list: clusterList, each: clusters, stats },
    jobDetails,
    histories,
  };
}
