import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckpointConflictError,
  InMemoryCheckpointStore,
  SqliteCheckpointStore,
  type CheckpointStore,
} from '../src/index.js';

function checkpointContract(
  name: string,
  open: () => { store: CheckpointStore; cleanup: () => void },
): void {
  describe(`checkpoint store contract: ${name}`, () => {
    it('stores the first checkpoint only when none exists, then moves it by compare-and-set', async () => {
      const { store, cleanup } = open();
      expect(await store.load('projection')).toBeNull();
      const v1 = await store.compareAndSet('projection', null, 10n);
      await expect(store.compareAndSet('projection', null, 11n)).rejects.toBeInstanceOf(
        CheckpointConflictError,
      );
      const v2 = await store.compareAndSet('projection', v1, 20n);
      await expect(store.compareAndSet('projection', v1, 30n)).rejects.toMatchObject({
        code: 'CHECKPOINT_CONFLICT',
        actualVersion: v2,
      });
      expect(await store.load('projection')).toEqual({ position: 20n, version: v2 });
      expect(await store.load('other')).toBeNull();
      cleanup();
    });
  });
}

checkpointContract('in-memory', () => ({
  store: new InMemoryCheckpointStore(),
  cleanup: () => undefined,
}));
checkpointContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ct-cp-'));
  const store = new SqliteCheckpointStore(join(dir, 'events.db'));
  return {
    store,
    cleanup: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
