import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
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

  describe('nats bus: requests in flight when the connection closes', () => {
    it('fail with BusUnavailableError instead of waiting out their timeout', async () => {
      const a = await NatsMessageBus.connect({ servers: nats.value, name: 'closing-a' });
      const b = await NatsMessageBus.connect({ servers: nats.value, name: 'closing-b' });
      try {
        const subject = `closing${randomBytes(4).toString('hex')}.never`;
        b.handle(subject, () => new Promise((resolve) => setTimeout(resolve, 1_000)));
        await b.flush();
        const pending = a.request(subject, {}, { timeoutMs: 120_000 });
        await a.flush();
        await a.close();
        await expect(pending).rejects.toBeInstanceOf(BusUnavailableError);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    }, 10_000);
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
