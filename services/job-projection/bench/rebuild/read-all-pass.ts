import type { EventStore } from '@clocktower/event-store';

export interface ReadAllPass {
  readonly ms: number;
  readonly events: number;
}

/** Keeps what the readers touched observably used. */
export let readSink = 0;

/**
 * The store's raw read-all rate: `for await` over readAll() touching one field of each event, the
 * least any projection of the store must pay before folding anything.
 */
export async function readAllPass(store: EventStore, maxCount?: number): Promise<ReadAllPass> {
  let events = 0;
  let touched = 0;
  const started = performance.now();
  for await (const event of store.readAll(maxCount === undefined ? {} : { maxCount })) {
    touched += (event.data as { cluster?: string }).cluster?.length ?? 0;
    events++;
  }
  const ms = performance.now() - started;
  readSink += touched;
  return { ms, events };
}
