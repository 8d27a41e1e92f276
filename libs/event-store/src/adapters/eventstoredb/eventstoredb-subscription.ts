import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  Position,
} from '@eventstore/db-client';
import type {
  EventHandler,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../../port/event-store.port.js';
import { EventStoreUnavailableError } from '../../port/event-store.errors.js';
import { encodePosition, isKnownPosition } from './eventstoredb-position.js';

/** What the catch-up loop needs from the store. */
export interface EsdbSubscriptionSource {
  /** Opens EventStoreDB's own catch-up subscription; `onCheckpoint` receives its filter checkpoints. */
  open(
    options: SubscribeOptions,
    onCheckpoint: (subscription: AllStreamSubscription, position: Position) => void,
  ): AllStreamSubscription;
  /** The event to hand to the handler, or undefined for one to pass over (a system stream, another category). */
  deliverable(
    resolved: AllStreamResolvedEvent,
    options: SubscribeOptions,
  ): RecordedEvent | undefined;
  headPosition(): Promise<bigint>;
  translate(error: unknown): unknown;
  /** For messages: where the server is. */
  readonly url: string;
}

/** Received events waiting for the handler; above HIGH_WATER the stream is paused until LOW_WATER. */
const HIGH_WATER = 256;
const LOW_WATER = 32;

/**
 * Runs the handler over EventStoreDB's catch-up subscription, one event at a time.
 *
 * EventStoreDB already guarantees history-then-live with no gap; what this adds is the port's
 * behaviour: the handler is awaited before the next event (events wait in an inbox, and the
 * stream is paused while the inbox is full, so a slow handler backs up to the server instead of
 * into memory), onCaughtUp comes once and in order, and the first error ends it all.
 *
 * Signals from the server (caught up, filter checkpoints) are emitted by the client
 * as it receives them, possibly while earlier events still wait, unseen, in the stream's buffer or
 * in the inbox. Each signal is therefore pinned to the count of events that came before it
 * (`received + readableLength` at that moment) and acted on only once the handler got that far.
 *
 * onCaughtUp: servers from 23.10 send "caught up". For older ones the fallback compares with the
 * head position read at start: caught up once an event or a filter checkpoint at or past it has
 * been processed (or at once when the start is already there). With a category filter and a head
 * in another category, that may take until the next checkpoint.
 */
export function esdbCatchUpSubscription(
  source: EsdbSubscriptionSource,
  handler: EventHandler,
  options: SubscribeOptions,
): Subscription {
  const after = options.fromPosition ?? 0n;
  const inbox: AllStreamResolvedEvent[] = [];
  const checkpoints: { at: number; position: bigint }[] = [];
  let received = 0;
  let taken = 0;
  let serverCaughtUpAt: number | undefined;
  let head: bigint | undefined;
  let lastTaken = after;
  let checkpointReached = 0n;
  let announced = false;
  let stopping = false;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;

  const notify = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };

  const esdb = source.open(options, (subscription, position) => {
    checkpoints.push({
      at: received + subscription.readableLength,
      position: encodePosition(position),
    });
    notify();
  });
  esdb.on('data', (resolved: AllStreamResolvedEvent) => {
    inbox.push(resolved);
    received++;
    if (inbox.length >= HIGH_WATER) esdb.pause();
    notify();
  });
  esdb.on('caughtUp', () => {
    serverCaughtUpAt ??= received + esdb.readableLength;
    notify();
  });
  esdb.on('error', (error: unknown) => {
    failure ??= { error: source.translate(error) };
    notify();
  });
  esdb.on('end', () => {
    ended = true;
    notify();
  });
  // Only for the fallback: if the server cannot be read, the subscription itself reports it.
  source.headPosition().then(
    (position) => {
      head = position;
      notify();
    },
    () => undefined,
  );

  const isCaughtUp = (): boolean => {
    if (serverCaughtUpAt !== undefined && taken >= serverCaughtUpAt) return true;
    while (checkpoints.length > 0 && checkpoints[0]!.at <= taken) {
      const checkpoint = checkpoints.shift()!;
      if (checkpoint.position > checkpointReached) checkpointReached = checkpoint.position;
    }
    if (head === undefined) return false;
    // lastTaken starts at `after`: a start at or past the head has no history to wait for.
    return lastTaken >= head || checkpointReached >= head;
  };

  const run = async (): Promise<void> => {
    for (;;) {
      if (stopping) return;
      if (failure) throw failure.error;
      if (!announced && isCaughtUp()) {
        announced = true;
        options.onCaughtUp?.();
      }
      const next = inbox.shift();
      if (next === undefined) {
        if (ended) {
          throw new EventStoreUnavailableError(
            `EventStoreDB at ${source.url} ended the subscription; subscribe again from the last checkpoint`,
          );
        }
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      taken++;
      if (esdb.isPaused() && inbox.length <= LOW_WATER) esdb.resume();
      const position = next.event?.position;
      if (isKnownPosition(position)) lastTaken = encodePosition(position);
      const event = source.deliverable(next, options);
      if (event) await handler(event);
    }
  };

  const done = run().finally(async () => {
    stopping = true;
    await esdb.unsubscribe().catch(() => undefined);
    esdb.destroy();
  });
  // `done` is for whoever awaits it; an unobserved failure must not crash the process.
  done.catch(() => undefined);
  return {
    done,
    async stop() {
      stopping = true;
      notify();
      await done.catch(() => undefined);
    },
  };
}
