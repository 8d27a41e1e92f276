import { PROJECTION_QUERIES, Subjects, type RequestClass } from '@clocktower/contracts';
import type { BusSubscription, MessageBus } from '@clocktower/messaging';

type Answer = (data: Record<string, unknown>) => unknown;

/** An error the way a bus handler throws one: its `code` (and `issues`) reach the gateway. */
export class HandlerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues?: readonly { path: string; problems: string[] }[],
  ) {
    super(message);
  }
}

/**
 * A stand-in for job-projection on the bus, for testing the HTTP layer alone: answers each query
 * type with what the test set (or null), and keeps every query it received, so a test can check
 * what the gateway asked. (The real projection is tested end to end elsewhere.)
 */
export class FakeProjection {
  readonly received: { type: string; data: Record<string, unknown> }[] = [];
  private readonly answers = new Map<string, Answer>();
  private subscriptions: BusSubscription[] = [];

  constructor(private readonly bus: MessageBus) {}

  start(): this {
    this.subscriptions = PROJECTION_QUERIES.map((cls) =>
      this.bus.handle(
        Subjects.of(cls),
        (message) => {
          const data = message.data as Record<string, unknown>;
          this.received.push({ type: cls.type, data });
          const answer = this.answers.get(cls.type);
          return answer ? answer(data) : null;
        },
        { queue: Subjects.queueGroup(cls.service) },
      ),
    );
    return this;
  }

  stop(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }

  answer<R>(
    cls: RequestClass<object, R>,
    answer: R | ((data: Record<string, unknown>) => R | Promise<R>),
  ): this {
    this.answers.set(cls.type, typeof answer === 'function' ? (answer as Answer) : () => answer);
    return this;
  }

  /** The data of the last query of this type. */
  last(cls: RequestClass): Record<string, unknown> | undefined {
    return this.received.filter((r) => r.type === cls.type).at(-1)?.data;
  }

  clear(): void {
    this.received.length = 0;
    this.answers.clear();
  }
}
