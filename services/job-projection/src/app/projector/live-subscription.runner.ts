import type { LoggerService } from '@nestjs/common';
import type { EventStore, RecordedEvent, Subscription } from '@clocktower/event-store';
import type { ParkedEvent, ReadModel } from '../../adapters/store/read-model.port.js';

/** Events folded in one transaction at most; fewer when fewer arrived before the next tick. */
export const DEFAULT_BATCH_SIZE = 1_000;

export interface RetryPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialMs: 200, maxMs: 30_000 };

export interface LiveSubscriptionRunnerOptions {
  readonly projection: string;
  readonly store: EventStore;
  readonly logger: LoggerService;
  /** After each committed batch, with the model's new position. Must not throw. */
  readonly onAdvanced: (position: bigint) => void;
  readonly batchSize?: number;
  readonly retry?: RetryPolicy;
}

export interface RunnerState {
  readonly following: boolean;
  /** The current subscription reached the end of the store at least once. */
  readonly caughtUp: boolean;
  /** Set while batches fail: the reason of the last failure, retried with backoff. */
  readonly failing: string | undefined;
  readonly consecutiveFailures: number;
}

/**
 * Follows the store into one read model: a catch-up subscription from the model's own checkpoint,
 * events gathered into batches (up to `batchSize`, or whatever arrived before the next tick) and
 * folded with the checkpoint in one transaction.
 *
 * A batch that fails (SQLite busy, disk full, the store gone) never stops the service: the
 * subscription is dropped, and after a backoff a new one starts from the model's checkpoint, which
 * only moves with a committed batch — so nothing is lost and nothing folded twice. Deliveries of a
 * subscription that was replaced are told apart by a generation number and ignored.
 */
export class LiveSubscriptionRunner {
  private model: ReadModel | undefined;
  private subscription: Subscription | undefined;
  private buffer: RecordedEvent[] = [];
  private flushScheduled = false;
  private generation = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private caughtUp = false;
  private failing: string | undefined;
  private consecutiveFailures = 0;
  private readonly batchSize: number;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: LiveSubscriptionRunnerOptions) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  state(): RunnerState {
    return {
      following: this.model !== undefined,
      caughtUp: this.caughtUp,
      failing: this.failing,
      consecutiveFailures: this.consecutiveFailures,
    };
  }

  /** Follows the store into `model` from its checkpoint (stopping whatever was followed before). */
  start(model: ReadModel): void {
    this.halt();
    this.model = model;
    this.failing = undefined;
    this.consecutiveFailures = 0;
    this.subscribe();
  }

  /**
   * Stops following: what is buffered is folded first, and once this resolves the model no longer
   * moves (until start()).
   */
  async stop(): Promise<void> {
    const subscription = this.halt();
    this.model = undefined;
    await subscription?.stop();
  }

  private halt(): Subscription | undefined {
    // Fold what was delivered before the generation moves on (a failure here is retried later).
    this.flush();
    this.generation++;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    this.caughtUp = false;
    return subscription;
  }

  private subscribe(): void {
    const model = this.model;
    if (!model) return;
    const generation = this.generation;
    const subscription = this.options.store.subscribeToAll(
      (event) => this.receive(generation, event),
      {
        fromPosition: model.position(),
        onCaughtUp: () => {
          if (generation !== this.generation) return;
          this.caughtUp = true;
          // Reading works again; with events buffered, their batch decides instead.
          if (this.buffer.length === 0) this.failing = undefined;
        },
      },
    );
    this.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => this.fail(generation, error),
    );
  }

  private receive(generation: number, event: RecordedEvent): void {
    if (generation !== this.generation) return;
    this.buffer.push(event);
    if (this.buffer.length >= this.batchSize) {
      this.flush();
    } else if (!this.flushScheduled) {
      // Events of one page arrive in microtasks: the next tick sees them all, so one transaction.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  private flush(): void {
    const model = this.model;
    if (!model || this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    let parked: readonly ParkedEvent[];
    try {
      parked = model.applyBatch(batch).parked;
    } catch (error) {
      this.fail(this.generation, error);
      return;
    }
    if (this.failing !== undefined) {
      this.options.logger.log({ msg: 'projection recovered', projection: this.options.projection });
    }
    this.failing = undefined;
    this.consecutiveFailures = 0;
    for (const event of parked) {
      this.options.logger.warn({
        msg: 'event parked: it cannot be folded and is set aside',
        projection: this.options.projection,
        position: event.position.toString(),
        stream: event.stream,
        type: event.type,
        reason: event.reason,
      });
    }
    this.options.onAdvanced(model.position());
  }

  private fail(generation: number, error: unknown): void {
    if (generation !== this.generation || !this.model) return;
    this.generation++;
    this.buffer = [];
    this.caughtUp = false;
    this.consecutiveFailures++;
    this.failing = error instanceof Error ? error.message : String(error);
    let position: string;
    try {
      position = this.model.position().toString();
    } catch {
      position = 'unknown';
    }
    const delayMs = Math.min(
      this.retry.initialMs * 2 ** (this.consecutiveFailures - 1),
      this.retry.maxMs,
    );
    this.options.logger.error({
      msg: 'projection batch failed; resuming from the checkpoint after a pause',
      projection: this.options.projection,
      position,
      error: this.failing,
      consecutiveFailures: this.consecutiveFailures,
      retryInMs: delayMs,
    });
    // Not awaited: this may run inside the subscription's own handler, which stop() waits for.
    const subscription = this.subscription;
    this.subscription = undefined;
    void subscription?.stop();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.subscribe();
    }, delayMs);
  }
}
