import { EventStoreError } from '../port/event-store.errors.js';

export interface Checkpoint {
  readonly position: bigint;
  /** Bumped by every store; what a compare-and-set compares. */
  readonly version: number;
}

/**
 * Where a subscriber keeps how far it got. Compare-and-set, so two replicas that both think they
 * own a subscription cannot silently move each other's checkpoint.
 */
export interface CheckpointStore {
  load(name: string): Promise<Checkpoint | null>;
  /**
   * Stores `position` when the stored version is `expectedVersion` (null: nothing stored yet) and
   * returns the new version; otherwise throws CheckpointConflictError and changes nothing.
   */
  compareAndSet(name: string, expectedVersion: number | null, position: bigint): Promise<number>;
}

export class CheckpointConflictError extends EventStoreError {
  constructor(
    readonly checkpoint: string,
    readonly expectedVersion: number | null,
    readonly actualVersion: number | null,
  ) {
    super(
      'CHECKPOINT_CONFLICT',
      `checkpoint ${checkpoint} expected version ${String(expectedVersion)} but is at ${String(actualVersion)}: another subscriber moved it`,
    );
  }
}
