import { describe, expect, it } from '@jest/globals';
import { labComponent } from '@clocktower/testing';
import { BusUnavailableError, NatsMessageBus } from '../src/index.js';
import { messageBusContract } from './message-bus.contract.js';

const nats = await labComponent('nats');

if (nats.available) {
  messageBusContract('nats', async () => {
    const a = await NatsMessageBus.connect({ servers: nats.value, name: 'contract-a' });
    const b = await NatsMessageBus.connect({ servers: nats.value, name: 'contract-b' });
    return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
  });
} else {
  describe.skip(`message bus contract: nats (${nats.reason})`, () => {
    it('needs NATS', () => undefined);
  });
}

describe('nats bus: connecting', () => {
  it('fails with a clear error naming the server when nothing listens', async () => {
    await expect(
      NatsMessageBus.connect({ servers: 'nats://127.0.0.1:1', connectTimeoutMs: 500 }),
    ).rejects.toThrow(BusUnavailableError);
    await expect(
      NatsMessageBus.connect({ servers: 'nats://127.0.0.1:1', connectTimeoutMs: 500 }),
    ).rejects.toThrow(/nats:\/\/127\.0\.0\.1:1.*is nats-server running/);
  });
});
