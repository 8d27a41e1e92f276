import { Readable, Transform, type TransformCallback } from 'node:stream';
import {
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type EventStoreDBClient,
  type Filter,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeToAllOptions,
} from '@eventstore/db-client';

/**
 * An in-process stand-in for an EventStoreDB server behind the v6 client, for checking the
 * adapter's own logic where no server can run. It follows what the server does (KurrentDB's
 * IndexWriter.CheckCommit for expected versions and duplicate event ids; AllReader for $all
 * positions, forward reads inclusive; catch-up subscriptions exclusive of their start, with a
 * "caught up" signal as from 23.10) and what the client does (asynchronous start, Readable
 * streams, its error classes). It also writes a `$ce-` link per event, as the system projections
 * do, so that filtering of EventStoreDB's own records is exercised. It is a model, not the server:
 * the suite against a real EventStoreDB is what proves the adapter.
 */

interface Rec {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly revision: bigint;
  readonly isJson: true;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly created: Date;
  readonly position: Position;
}

type Resp = { readonly event: Rec } | { readonly caughtUp: true };

const RECORD_SIZE = 173n;

function compare(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  return a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1;
}

function matches(filter: Filter | undefined, rec: Rec): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? rec.streamId : rec.type;
  return 'prefixes' in filter
    ? filter.prefixes.some((p) => subject.startsWith(p))
    : new RegExp(filter.regex).test(subject);
}

function streamingRead<T>(
  items: () => Iterable<T>,
  error?: () => Error | undefined,
): Readable & { cancel(): Promise<void> } {
  async function* generate(): AsyncGenerator<T> {
    await new Promise((resolve) => setImmediate(resolve));
    const failure = error?.();
    if (failure) throw failure;
    yield* items();
  }
  const readable = Readable.from(generate(), { objectMode: true });
  return Object.assign(readable, {
    cancel: () => {
      readable.destroy();
      return Promise.resolve();
    },
  });
}

class EmulatedSubscription extends Transform {
  constructor(private readonly onUnsubscribe: () => void) {
    super({ objectMode: true });
  }

  override _transform(resp: Resp, _encoding: BufferEncoding, next: TransformCallback): void {
    if ('caughtUp' in resp) {
      this.emit('caughtUp');
      next();
      return;
    }
    next(null, { event: resp.event, commitPosition: resp.event.position.commit });
  }

  unsubscribe(): Promise<void> {
    this.onUnsubscribe();
    return Promise.resolve();
  }
}

export interface EmulationOptions {
  /** Servers before 23.10 never say "caught up". */
  readonly sendsCaughtUp?: boolean;
}

export class EventStoreDbEmulation {
  private readonly log: Rec[] = [];
  private readonly live = new Set<(rec: Rec) => void>();
  private offset = 4096n;
  private clock = Date.parse('2026-11-21T10:00:00.000Z');

  constructor(private readonly options: EmulationOptions = {}) {}

  /** A client handle on this server, typed as the real one for the adapter. */
  client(): EventStoreDBClient {
    const api = {
      appendToStream: (
        stream: string,
        events: EventData | EventData[],
        options: { expectedRevision?: AppendExpectedRevision } = {},
      ) =>
        this.append(
          stream,
          Array.isArray(events) ? events : [events],
          options.expectedRevision ?? 'any',
        ),
      readStream: (stream: string, options: ReadStreamOptions = {}) =>
        this.readStream(stream, options),
      readAll: (options: ReadAllOptions = {}) => this.readAll(options),
      subscribeToAll: (options: SubscribeToAllOptions = {}) => this.subscribeToAll(options),
      dispose: () => Promise.resolve(),
    };
    return api as unknown as EventStoreDBClient;
  }

  private streamEvents(stream: string): Rec[] {
    return this.log.filter((rec) => rec.streamId === stream);
  }

  private write(
    streamId: string,
    revision: bigint,
    type: string,
    data: unknown,
    metadata: unknown,
    id: string,
  ): Rec {
    this.offset += RECORD_SIZE;
    this.clock += 1;
    const rec: Rec = {
      streamId,
      id: id.toLowerCase(),
      type,
      revision,
      isJson: true,
      data: JSON.parse(JSON.stringify(data)) as unknown,
      metadata:
        metadata === undefined ? undefined : (JSON.parse(JSON.stringify(metadata)) as unknown),
      created: new Date(this.clock),
      position: { commit: this.offset, prepare: this.offset },
    };
    this.log.push(rec);
    return rec;
  }

  private async append(
    stream: string,
    events: EventData[],
    expected: AppendExpectedRevision,
  ): Promise<AppendResult> {
    await new Promise((resolve) => setImmediate(resolve));
    const existing = this.streamEvents(stream);
    const current = BigInt(existing.length - 1);
    const ids = events.map((e) => e.id.toLowerCase());
    const wrong = (): never => {
      throw new WrongExpectedVersionError(undefined, {
        streamName: stream,
        expected,
        current: current < 0n ? 'no_stream' : current,
      });
    };
    const idempotent = (last: Rec): AppendResult => ({
      success: true,
      nextExpectedRevision: last.revision,
      position: last.position,
    });

    if (expected === 'stream_exists' && current < 0n) wrong();
    if (expected === 'any' || expected === 'stream_exists') {
      const found = ids.map((id) => existing.find((rec) => rec.id === id));
      if (found[0] !== undefined) {
        if (found.some((rec) => rec === undefined)) wrong(); // CorruptedIdempotency
        return idempotent(found[found.length - 1]!);
      }
    } else {
      const exp = expected === 'no_stream' ? -1n : expected;
      if (exp < current) {
        const slots = ids.map((id, i) => existing[Number(exp) + 1 + i]?.id === id);
        if (!slots[0] || slots.some((ok) => !ok)) wrong();
        return idempotent(existing[Number(exp) + ids.length]!);
      }
      if (exp > current) wrong();
    }

    const written = events.map((e, i) =>
      this.write(stream, current + 1n + BigInt(i), e.type, e.data, e.metadata, e.id),
    );
    // What the $by_category projection does a moment later.
    const category = stream.split('-')[0]!;
    const links = written.map((rec, i) =>
      this.write(
        `$ce-${category}`,
        BigInt(this.streamEvents(`$ce-${category}`).length + i),
        '$>',
        `${String(rec.revision)}@${stream}`,
        undefined,
        crypto.randomUUID(),
      ),
    );
    for (const rec of [...written, ...links]) for (const notify of this.live) notify(rec);
    const last = written[written.length - 1]!;
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  private readStream(stream: string, options: ReadStreamOptions) {
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const events = this.streamEvents(stream);
    return streamingRead(
      () => {
        let selected: Rec[];
        if (options.direction === 'backwards') {
          const from =
            options.fromRevision === undefined || options.fromRevision === 'end'
              ? Infinity
              : options.fromRevision === 'start'
                ? 0
                : Number(options.fromRevision);
          selected = events.filter((rec) => Number(rec.revision) <= from).reverse();
        } else {
          const from =
            options.fromRevision === undefined || options.fromRevision === 'start'
              ? 0
              : options.fromRevision === 'end'
                ? Infinity
                : Number(options.fromRevision);
          selected = events.filter((rec) => Number(rec.revision) >= from);
        }
        return selected.slice(0, max).map((event) => ({ event }));
      },
      () => (events.length === 0 ? new StreamNotFoundError(undefined, stream) : undefined),
    );
  }

  private readAll(options: ReadAllOptions) {
    const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    const from = options.fromPosition;
    return streamingRead(() => {
      let selected: Rec[];
      if (options.direction === 'backwards') {
        selected = [...this.log]
          .reverse()
          .filter(
            (rec) =>
              from === undefined ||
              from === 'end' ||
              (from !== 'start' && compare(rec.position, from) < 0),
          );
      } else {
        selected = this.log.filter(
          (rec) =>
            from === undefined ||
            from === 'start' ||
            (from !== 'end' && compare(rec.position, from) >= 0),
        );
      }
      return selected
        .slice(0, max)
        .map((event) => ({ event, commitPosition: event.position.commit }));
    });
  }

  private subscribeToAll(options: SubscribeToAllOptions) {
    const after = options.fromPosition ?? 'start';
    const filter = options.filter;
    const forward = (rec: Rec): void => {
      if (matches(filter, rec)) subscription.write({ event: rec });
    };
    const subscription = new EmulatedSubscription(() => this.live.delete(forward));
    // The client opens the gRPC call asynchronously: listeners attached right after are in time.
    setImmediate(() => {
      for (const rec of this.log) {
        if (after === 'end') break;
        if (after !== 'start' && compare(rec.position, after) <= 0) continue;
        forward(rec);
      }
      if (this.options.sendsCaughtUp ?? true) subscription.write({ caughtUp: true });
      this.live.add(forward);
    });
    return subscription;
  }
}
