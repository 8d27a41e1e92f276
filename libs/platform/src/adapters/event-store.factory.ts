import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  InMemoryEventStore,
  SqliteEventStore,
  EventStoreUnavailableError,
  type EventStore,
} from '@clocktower/event-store';
import { StoreKind, type PlatformConfig } from '../platform.config.js';

export function sqliteStoreFile(config: Pick<PlatformConfig, 'dataDir'>): string {
  return resolve(join(config.dataDir, 'events.db'));
}

/** Opens the store the configuration names; a store that cannot be used fails here, at start. */
export async function openEventStore(
  config: Pick<PlatformConfig, 'store' | 'dataDir' | 'eventStoreUrl'>,
): Promise<EventStore> {
  switch (config.store) {
    case StoreKind.Memory:
      return new InMemoryEventStore();
    case StoreKind.Sqlite: {
      try {
        mkdirSync(resolve(config.dataDir), { recursive: true });
      } catch (cause) {
        throw new EventStoreUnavailableError(
          `cannot create the data directory ${resolve(config.dataDir)}; set CLOCKTOWER_DATA to a writable directory`,
          { cause },
        );
      }
      return SqliteEventStore.open({ file: sqliteStoreFile(config) });
    }
    case StoreKind.EventStoreDb: {
      const { EventStoreDbEventStore } = await import('@clocktower/event-store/eventstoredb');
      return EventStoreDbEventStore.connect(config.eventStoreUrl!);
    }
  }
}
