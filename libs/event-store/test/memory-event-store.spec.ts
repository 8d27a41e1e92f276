import { InMemoryEventStore } from '../src/index.js';
import { eventStoreContract } from './event-store.contract.js';

eventStoreContract('in-memory', () => Promise.resolve({ store: new InMemoryEventStore() }), {
  sharedStorage: false,
});
