import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { type ReadChanges, type ChangeEntry, type ChangeFeed } from '@clocktower/contracts';
import { RemoteHandlerError } from '@clocktower/messaging';

/** The part of ReadChanges a stream keeps for its whole life: the filters and the scope. */
export type ChangeFilter = Omit<ReadChanges, 'afterPosition' | 'limit' | 'cursor' | 'page'>;

export interface ChangeStreamTiming {
  /** Changes read per request. */
  readonly pageSize: number;
  /** Longest wait for a ProjectionAdvanced notification before reading anyway. */
  readonly pollMs: number;
  /** A comment line this often, so proxies and load balancers keep an idle stream open. */
  readonly heartbeatMs: number;
  /** The client's reconnection delay (`retry:`), and the stream's own after a failed read. */
  readonly retryMs: number;
}

export const DEFAULT_CHANGE_STREAM_TIMING: ChangeStreamTiming = {
  pageSize: 500,
  pollMs: 2_000,
  heartbeatMs: 15_000,
  retryMs: 2_000,
};

export interface ChangeSource {
  read(query: ReadChanges): Promise<ChangeFeed>;
  /** Resolves at the next sign of new changes, after `timeoutMs`, or when `signal` aborts. */
  next(timeoutMs: number, signal: AbortSignal): Promise<void>;
}

const HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  // nginx buffers responses by default, which would hold events back.
  'X-Accel-Buffering': 'no',
} as const;

const max = (a: string, b: string): string => (BigInt(a) >= BigInt(b) ? a : b);
/** Event names come from stored event types; a line break would split the frame. */
const oneLine = (text: string): string => text.replace(/[\r\n]/g, ' ');

/**
 * One client's Server-Sent Events stream of job and node changes. Each change is sent with
 * `id: <its position>`, so a client that reconnects with `Last-Event-ID` resumes right after the
 * last change it received: nothing is lost, nothing sent twice. The loop reads pages until caught
 * up, then waits for the projection to advance (or the poll interval). A projection that does not
 * answer is reported as an `error` event and retried; the stream stays open.
 */
export class ChangeStream {
  private readonly abort = new AbortController();
  /** Last position sent as an `id:`; the stream resumes after `position`. */
  private sentId: string | null = null;
  private failing = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly filter: ChangeFilter,
    /** Resume after this position; null: from the projection's position when the stream opens. */
    private position: string | null,
    private readonly source: ChangeSource,
    private readonly timing: ChangeStreamTiming = DEFAULT_CHANGE_STREAM_TIMING,
  ) {}

  get closed(): boolean {
    return this.abort.signal.aborted;
  }

  /** Ends the stream (gateway shutting down); the client reconnects where it left off. */
  stop(): void {
    this.abort.abort();
    if (!this.response.writableEnded) this.response.end();
  }

  /** Streams until the client goes away or stop(); never throws. */
  async run(): Promise<void> {
    this.response.once('close', () => this.abort.abort());
    this.response.socket?.setNoDelay(true);
    this.response.writeHead(200, HEADERS);
    const heartbeat = setInterval(() => this.send(': keep-alive\n\n'), this.timing.heartbeatMs);
    try {
      await this.write(`retry: ${this.timing.retryMs}\n\n`);
      while (!this.closed) {
        try {
          const caughtUp = await this.step();
          this.failing = false;
          if (caughtUp) await this.source.next(this.timing.pollMs, this.abort.signal);
        } catch (error) {
          if (!(await this.failed(error))) break;
          await this.source.next(this.timing.retryMs, this.abort.signal);
        }
      }
    } finally {
      clearInterval(heartbeat);
      this.stop();
    }
  }

  /** Reads and sends one page; true when it found the stream caught up with the projection. */
  private async step(): Promise<boolean> {
    if (this.position === null) {
      // "From now": the projection's own position, so no change folded later is missed.
      const { projectedPosition } = await this.source.read({ afterPosition: '0', limit: 1 });
      this.position = projectedPosition;
      await this.write(this.frame('ready', projectedPosition, { after: projectedPosition }));
      this.sentId = projectedPosition;
    } else if (this.sentId === null) {
      await this.write(this.frame('ready', this.position, { after: this.position }));
      this.sentId = this.position;
    }
    const feed = await this.source.read({
      ...this.filter,
      afterPosition: this.position,
      limit: this.timing.pageSize,
    });
    for (const change of feed.items) {
      if (this.closed) return false;
      await this.write(this.changeFrame(change));
      this.position = change.position;
      this.sentId = change.position;
    }
    // Positions scanned past without a match need not be scanned again after a reconnect.
    this.position = max(this.position, feed.lastPosition);
    const caughtUp =
      feed.items.length < this.timing.pageSize &&
      BigInt(this.position) >= BigInt(feed.projectedPosition);
    if (caughtUp && this.sentId !== this.position) {
      // An `id:` alone moves the client's Last-Event-ID without delivering an event.
      await this.write(`id: ${this.position}\n\n`);
      this.sentId = this.position;
    }
    return caughtUp;
  }

  /** Tells the client why no changes come; false when retrying cannot help. */
  private async failed(error: unknown): Promise<boolean> {
    if (this.closed) return false;
    const invalid =
      error instanceof RemoteHandlerError &&
      (error.code === 'VALIDATION_FAILED' || error.code === 'INVALID_CURSOR');
    if (!this.failing || invalid) {
      const reason = error instanceof Error ? error.message : String(error);
      const code = error instanceof Error && 'code' in error ? String(error.code) : 'UNKNOWN';
      await this.write(
        `event: error\ndata: ${JSON.stringify({ reason, code, retrying: !invalid })}\n\n`,
      );
    }
    this.failing = true;
    return !invalid;
  }

  private frame(event: string, id: string, data: unknown): string {
    return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  private changeFrame(change: ChangeEntry): string {
    return this.frame(oneLine(change.type), change.position, change);
  }

  private send(chunk: string): boolean {
    return this.closed || this.response.writableEnded ? true : this.response.write(chunk);
  }

  /** Writes, then waits while the client is slower than the stream (or until it goes away). */
  private async write(chunk: string): Promise<void> {
    if (this.send(chunk) || this.closed) return;
    // Aborting removes the listener; the rejection it makes is the expected way out.
    await once(this.response, 'drain', { signal: this.abort.signal }).catch(() => undefined);
  }
}
