import type { LoggerService } from '@nestjs/common';
import { StreamCategory } from '@clocktower/contracts';
import type { EventStore, Subscription } from '@clocktower/event-store';
import type { ReadinessCheck } from '@clocktower/platform';
import { UserDirectory } from './user-directory.js';

/** How long a write waits to see its own events in the directory before answering anyway. */
export const DEFAULT_READ_YOUR_WRITES_MS = 5_000;
const RETRY_BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000] as const;

/**
 * Keeps a UserDirectory current: a catch-up subscription to the `user` category (history, then
 * live). Appends made by this process arrive at once; those of another process (the users CLI)
 * within the store's poll interval. A failed subscription is resumed from the last applied
 * position after a backoff; meanwhile the directory keeps answering from what it has.
 */
export class UserDirectoryFollower {
  readonly directory: UserDirectory;
  private subscription: Subscription | undefined;
  private caughtUp = false;
  private failure: string | undefined;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private waiters: { position: bigint; resolve: () => void }[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly logger: LoggerService,
  ) {
    this.directory = new UserDirectory((event, reason) => {
      this.logger.warn({
        msg: 'user event skipped',
        stream: event.stream,
        revision: event.revision,
        reason,
      });
    });
  }

  get isCaughtUp(): boolean {
    return this.caughtUp;
  }

  start(): void {
    this.stopped = false;
    this.subscribe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.subscription?.stop();
    for (const waiter of this.waiters) waiter.resolve();
    this.waiters = [];
  }

  /**
   * Resolves once the directory has applied the event at `position` (so a key just created can be
   * used at once), or after `timeoutMs` at the latest: a slow directory delays an answer, never
   * fails a write that already succeeded.
   */
  async reached(position: bigint, timeoutMs = DEFAULT_READ_YOUR_WRITES_MS): Promise<void> {
    if (this.directory.position >= position || this.stopped) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      const waiter = { position, resolve };
      this.waiters.push(waiter);
      timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      }, timeoutMs);
    });
    clearTimeout(timer);
  }

  readinessCheck(): ReadinessCheck {
    return {
      name: 'user-directory',
      check: async () => {
        if (this.failure !== undefined)
          throw new Error(`reading user events failed: ${this.failure}`);
        if (!this.caughtUp) throw new Error('still reading the user events');
        const { users, activeKeys } = this.directory.counts();
        return `${users} users, ${activeKeys} active API keys`;
      },
    };
  }

  private subscribe(): void {
    const subscription = this.store.subscribeToAll(
      (event) => {
        this.directory.apply(event);
        this.failure = undefined;
        this.attempt = 0;
        this.wake();
      },
      {
        category: StreamCategory.User,
        fromPosition: this.directory.position,
        onCaughtUp: () => {
          this.caughtUp = true;
          this.failure = undefined;
          this.logger.log({ msg: 'user directory caught up', ...this.directory.counts() });
        },
      },
    );
    this.subscription = subscription;
    subscription.done.then(
      () => undefined,
      (error: unknown) => {
        if (this.stopped) return;
        const delay = RETRY_BACKOFF_MS[Math.min(this.attempt++, RETRY_BACKOFF_MS.length - 1)];
        this.failure = error instanceof Error ? error.message : String(error);
        this.logger.error({
          msg: 'user directory subscription failed; resuming',
          error: this.failure,
          retryInMs: delay,
        });
        this.retryTimer = setTimeout(() => this.subscribe(), delay);
      },
    );
  }

  private wake(): void {
    const position = this.directory.position;
    const ready = this.waiters.filter((w) => w.position <= position);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.position > position);
    for (const waiter of ready) waiter.resolve();
  }
}
