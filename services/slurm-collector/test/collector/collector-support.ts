import type { LoggerService } from '@nestjs/common';
import type { JobRecord, NodeRecord } from '@clocktower/contracts';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '@clocktower/event-store';
import type { Message } from '@clocktower/contracts';
import type {
  CancelJobRequest,
  SlurmSource,
  SubmitJobRequest,
} from '../../src/adapters/sources/slurm-source.port.js';
import type { PollKind } from '../../src/app/polling/cluster-poller.js';
import type { RawOutput } from '../../src/domain/raw-output.js';
import { evolveJob, evolveNode } from '@clocktower/contracts';

/**
 * Shared by the collector specs (lab history, restart, bad input): a logger that keeps what the
 * poller said, a source that records (and can repeat) what Slurm printed, a store that "crashes"
 * on a chosen append, and readers of what ended up in the store.
 */

export interface LogEntry {
  readonly level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  readonly message: unknown;
}

export class CapturingLogger implements LoggerService {
  readonly entries: LogEntry[] = [];

  log(message: unknown): void {
    this.entries.push({ level: 'log', message });
  }
  error(message: unknown): void {
    this.entries.push({ level: 'error', message });
  }
  warn(message: unknown): void {
    this.entries.push({ level: 'warn', message });
  }
  debug(message: unknown): void {
    this.entries.push({ level: 'debug', message });
  }
  verbose(message: unknown): void {
    this.entries.push({ level: 'verbose', message });
  }
  fatal(message: unknown): void {
    this.entries.push({ level: 'fatal', message });
  }

  at(level: LogEntry['level']): Record<string, unknown>[] {
    return this.entries
      .filter((e) => e.level === level)
      .map((e) =>
        typeof e.message === 'object' && e.message !== null
          ? (e.message as Record<string, unknown>)
          : { msg: e.message },
      );
  }
}

/**
 * Passes every call to the real source and keeps each output in call order. Frozen, it answers
 * every poll with the last output of that kind again: "a poll that changes nothing".
 */
export class RecordingSource implements SlurmSource {
  readonly description: string;
  readonly simulated: boolean;
  readonly calls: { readonly kind: PollKind; readonly output: RawOutput }[] = [];
  private readonly last = new Map<PollKind, RawOutput>();
  private frozen = false;

  constructor(readonly inner: SlurmSource) {
    this.description = inner.description;
    this.simulated = inner.simulated;
  }

  freeze(frozen = true): void {
    this.frozen = frozen;
  }

  count(kind: PollKind): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }

  queue(): Promise<RawOutput> {
    return this.fetch('queue', () => this.inner.queue());
  }
  nodes(): Promise<RawOutput> {
    return this.fetch('nodes', () => this.inner.nodes());
  }
  accounting(since: Date, until: Date): Promise<RawOutput> {
    return this.fetch('accounting', () => this.inner.accounting(since, until));
  }
  submit(request: SubmitJobRequest): Promise<{ jobId: string }> {
    return this.inner.submit(request);
  }
  cancel(request: CancelJobRequest): Promise<void> {
    return this.inner.cancel(request);
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  private async fetch(kind: PollKind, read: () => Promise<RawOutput>): Promise<RawOutput> {
    const previous = this.last.get(kind);
    if (this.frozen && previous) return previous;
    const output = await read();
    this.last.set(kind, output);
    this.calls.push({ kind, output });
    return output;
  }
}

/** Plays back outputs recorded from a cluster, in the order they were recorded. */
export class PlaybackSource implements SlurmSource {
  readonly simulated = false;
  private next = 0;

  constructor(
    readonly description: string,
    private readonly calls: readonly { readonly kind: PollKind; readonly output: RawOutput }[],
  ) {}

  /** The kind and time of the poll to run next, or undefined when all were played. */
  peek(): { readonly kind: PollKind; readonly observedAt: string } | undefined {
    const call = this.calls[this.next];
    return call && { kind: call.kind, observedAt: call.output.observedAt };
  }
  /** Plays the last output again: a restarted collector seeing what the killed one saw. */
  rewind(): void {
    this.next = Math.max(0, this.next - 1);
  }

  queue(): Promise<RawOutput> {
    return this.take('queue');
  }
  nodes(): Promise<RawOutput> {
    return this.take('nodes');
  }
  accounting(): Promise<RawOutput> {
    return this.take('accounting');
  }
  submit(): Promise<{ jobId: string }> {
    return Promise.reject(new Error('a playback cannot submit'));
  }
  cancel(): Promise<void> {
    return Promise.reject(new Error('a playback cannot cancel'));
  }
  async close(): Promise<void> {}

  private async take(kind: PollKind): Promise<RawOutput> {
    const call = this.calls[this.next];
    if (call?.kind !== kind)
      throw new Error(`playback: asked for ${kind}, recorded next is ${call?.kind ?? 'nothing'}`);
    this.next++;
    return call.output;
  }
}

/** The error a crashing store throws: the process "died" here. */
export class SimulatedCrash extends Error {
  constructor(readonly when: 'before' | 'after') {
    super(`simulated crash ${when} an append reached the store`);
    this.name = 'SimulatedCrash';
  }
}

/**
 * An event store that counts appends and can fail one of them: `before` it is written (the process
 * died mid-poll, after appending some of the poll's decisions), or `after` it was written (it died
 * before the poller could fold what it appended).
 */
export class CrashingStore implements EventStore {
  appends = 0;
  private crash: { readonly call: number; readonly when: 'before' | 'after' } | undefined;

  constructor(readonly inner: EventStore) {}

  crashOnAppend(call: number, when: 'before' | 'after'): void {
    this.crash = { call, when };
  }

  async append(
    stream: string,
    events: readonly Message[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    this.appends++;
    const crash = this.crash?.call === this.appends ? this.crash : undefined;
    if (crash?.when === 'before') throw new SimulatedCrash('before');
    const result = await this.inner.append(stream, events, options);
    if (crash) throw new SimulatedCrash('after');
    return result;
  }
  readStream(stream: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readStream(stream, options);
  }
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readAll(options);
  }
  subscribeToAll(handler: EventHandler, options?: SubscribeOptions): Subscription {
    return this.inner.subscribeToAll(handler, options);
  }
  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Every stream in the store with its events in revision order. */
export async function readStreams(store: EventStore): Promise<Map<string, RecordedEvent[]>> {
  const streams = new Map<string, RecordedEvent[]>();
  for await (const event of store.readAll()) {
    const events = streams.get(event.stream) ?? [];
    events.push(event);
    streams.set(event.stream, events);
  }
  for (const events of streams.values()) events.sort((a, b) => a.revision - b.revision);
  return streams;
}

/** Streams whose revisions are not exactly 0..n-1, and event ids stored more than once. */
export function revisionProblems(streams: ReadonlyMap<string, readonly RecordedEvent[]>): string[] {
  const problems: string[] = [];
  const ids = new Map<string, string>();
  for (const [stream, events] of streams) {
    events.forEach((event, i) => {
      if (event.revision !== i)
        problems.push(`${stream}: revision ${event.revision} at index ${i}`);
      const other = ids.get(event.eventId);
      if (other !== undefined)
        problems.push(`${stream}: event id ${event.eventId} also in ${other}`);
      ids.set(event.eventId, stream);
    });
  }
  return problems;
}

/** What a comparison of two stores looks at: everything but when the store wrote it. */
export function comparable(events: readonly RecordedEvent[]): unknown[] {
  return events.map((e) => ({
    stream: e.stream,
    revision: e.revision,
    eventId: e.eventId,
    type: e.type,
    data: e.data,
    correlationId: e.correlationId,
    occurredAt: e.occurredAt,
  }));
}

/** The job's record folded from its stream, as the collector and the projection fold it. */
export function foldJob(events: readonly RecordedEvent[]): JobRecord | undefined {
  let record: JobRecord | undefined;
  for (const event of events) record = evolveJob(record, event);
  return record;
}

/** The node's record folded from its stream (the cluster stream folds to its last event's type). */
export function foldNode(events: readonly RecordedEvent[]): NodeRecord | string | undefined {
  let record: NodeRecord | undefined;
  for (const event of events) {
    if (!event.stream.startsWith('node-')) return events.at(-1)?.type;
    record = event.type === 'NodeRemoved' ? undefined : evolveNode(record, event);
  }
  return record;
}

/** The states a job went through according to its stream: `PENDING>RUNNING>FAILED`. */
export function stateHistory(events: readonly RecordedEvent[]): string {
  const states: string[] = [];
  for (const event of events) {
    if (event.type === 'JobSubmitted') states.push((event.data['record'] as JobRecord).state);
    if (event.type === 'JobStateChanged') states.push(event.data['to'] as string);
  }
  // Slurm shows COMPLETING while it kills a job and runs the epilog. Whether a poll lands in that
  // window is timing (a timed-out job on a loaded machine was seen COMPLETING for a whole poll), so
  // it is dropped here, and only here: a COMPLETING anywhere but just before the end still shows.
  return states.filter((state, i) => state !== 'COMPLETING' || i !== states.length - 2).join('>');
}

/** The event types of a stream, in order: the short picture of a history in a failure message. */
export function types(events: readonly RecordedEvent[]): string[] {
  return events.map((e) => e.type);
}
