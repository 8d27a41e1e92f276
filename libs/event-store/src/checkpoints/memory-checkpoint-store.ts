import {
  CheckpointConflictError,
  type Checkpoint,
  type CheckpointStore,
} from './checkpoint-store.port.js';

export class InMemoryCheckpointStore implements CheckpointStore {
  private readonly checkpoints = new Map<string, Checkpoint>();

  load(name: string): Promise<Checkpoint | null> {
    return Promise.resolve(this.checkpoints.get(name) ?? null);
  }

  compareAndSet(name: string, expectedVersion: number | null, position: bigint): Promise<number> {
    const current = this.checkpoints.get(name)?.version ?? null;
    if (current !== expectedVersion) {
      return Promise.reject(new CheckpointConflictError(name, expectedVersion, current));
    }
    const version = (current ?? 0) + 1;
    this.checkpoints.set(name, { position, version });
    return Promise.resolve(version);
  }
}
