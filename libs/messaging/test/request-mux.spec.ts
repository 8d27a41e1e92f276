import { describe, expect, it } from '@jest/globals';
import type { Msg, NatsConnection, SubscriptionOptions } from '@nats-io/transport-node';
import { NatsRequestMux } from '../src/adapters/nats/request-mux.js';
import { BusUnavailableError, RequestTimeoutError } from '../src/index.js';

/** Just enough of a connection to drive the mux: what it subscribes and publishes is recorded. */
function fakeConnection() {
  const subscriptions: {
    subject: string;
    callback: NonNullable<SubscriptionOptions['callback']>;
  }[] = [];
  const published: { subject: string; reply: string }[] = [];
  const nc = {
    subscribe: (subject: string, options: SubscriptionOptions) => {
      subscriptions.push({ subject, callback: options.callback! });
      return { unsubscribe: () => undefined };
    },
    publish: (subject: string, _payload: Uint8Array, options: { reply: string }) => {
      published.push({ subject, reply: options.reply });
    },
    closed: () => new Promise<void | Error>(() => undefined),
  };
  const reply = (to: string, data: Uint8Array): void => {
    void subscriptions.at(-1)!.callback(null, { subject: to, data } as unknown as Msg);
  };
  return { nc: nc as unknown as NatsConnection, subscriptions, published, reply };
}

describe('NatsRequestMux', () => {
  it('subscribes once, matches each reply to its request by id, whatever the order', async () => {
    const { nc, subscriptions, published, reply } = fakeConnection();
    const mux = new NatsRequestMux(nc);
    const first = mux.request('svc.q', new Uint8Array(), { timeoutMs: 1_000 });
    const second = mux.request('svc.q', new Uint8Array(), { timeoutMs: 1_000 });
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]!.subject).toMatch(/\.\*$/);
    reply(published[1]!.reply, new Uint8Array([2]));
    reply(published[0]!.reply, new Uint8Array([1]));
    expect((await first).data).toEqual(new Uint8Array([1]));
    expect((await second).data).toEqual(new Uint8Array([2]));
  });

  it('fails each request at its own deadline with one timer, dropping a reply that comes late', async () => {
    const { nc, published, reply } = fakeConnection();
    const mux = new NatsRequestMux(nc);
    const started = performance.now();
    const short = mux.request('svc.q', new Uint8Array(), { timeoutMs: 30 });
    const long = mux.request('svc.q', new Uint8Array(), { timeoutMs: 120 });
    await expect(short).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    reply(published[0]!.reply, new Uint8Array([9])); // too late: nobody waits for it
    await expect(long).rejects.toThrow(/no reply on svc\.q within 120 ms/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(119);
  });

  it('fails what waits when the server ends the reply subscription, and subscribes again', async () => {
    const { nc, subscriptions } = fakeConnection();
    const mux = new NatsRequestMux(nc);
    const waiting = mux.request('svc.q', new Uint8Array(), { timeoutMs: 60_000 });
    void subscriptions[0]!.callback(
      new Error('Permissions Violation for Subscription'),
      undefined as never,
    );
    await expect(waiting).rejects.toBeInstanceOf(BusUnavailableError);
    await expect(waiting).rejects.toThrow(/Permissions Violation.*before svc\.q answered/);
    void mux.request('svc.q', new Uint8Array(), { timeoutMs: 10 }).catch(() => undefined);
    expect(subscriptions).toHaveLength(2);
  });
});
