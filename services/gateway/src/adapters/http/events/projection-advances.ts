import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ProjectionAdvanced, Subjects } from '@clocktower/contracts';
import { BusClient, type BusSubscription } from '@clocktower/messaging';

/**
 * Wakes the open event streams when job-projection says it folded more events: one bus
 * subscription for the whole gateway, however many streams are open. A lost notification only
 * delays a stream until its next poll: the store, not the notification, is the truth.
 */
@Injectable()
export class ProjectionAdvances implements OnModuleInit, OnModuleDestroy {
  private readonly waiters = new Set<() => void>();
  private subscription: BusSubscription | undefined;

  constructor(private readonly client: BusClient) {}

  onModuleInit(): void {
    this.subscription = this.client.bus.subscribe(
      Subjects.event(
        ProjectionAdvanced.category,
        ProjectionAdvanced,
        this.client.bus.subjectPrefix,
      ),
      () => this.wakeAll(),
    );
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.wakeAll();
  }

  /** Resolves at the next notification, after `timeoutMs`, or when `signal` aborts. */
  next(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done);
      this.waiters.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
