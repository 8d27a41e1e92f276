import { InProcessMessageBus } from '../src/index.js';
import { messageBusContract } from './message-bus.contract.js';

messageBusContract('in-process', () => {
  const bus = new InProcessMessageBus();
  return Promise.resolve({ a: bus, b: bus, close: () => bus.close() });
});
