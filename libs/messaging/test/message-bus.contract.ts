import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { until } from '@clocktower/testing';
import {
  NoResponderError,
  RawJson,
  RemoteHandlerError,
  RequestTimeoutError,
  type BusMessage,
  type MessageBus,
} from '../src/index.js';

/** Two handles on one bus, as two processes would have (for the in-process bus: the same one). */
export interface BusHarness {
  readonly a: MessageBus;
  readonly b: MessageBus;
  close(): Promise<void>;
}

class CodedError extends Error {
  readonly code = 'JOB_NOT_FOUND';
  readonly details = { cluster: 'lab', jobId: '42' };
}

/** The message-bus contract: written once, run against NATS and the in-process bus. */
export function messageBusContract(name: string, open: () => Promise<BusHarness>): void {
  describe(`message bus contract: ${name}`, () => {
    let harness: BusHarness;
    let subject: (s: string) => string;

    beforeEach(async () => {
      harness = await open();
      const prefix = `test${randomBytes(4).toString('hex')}`;
      subject = (s) => `${prefix}.${s}`;
    });
    afterEach(() => harness.close());

    it('answers a request with the reply, headers (the correlation id) reaching the handler', async () => {
      let seen: BusMessage | undefined;
      harness.b.handle(subject('echo'), (message) => {
        seen = message;
        return { echoed: message.data, correlationId: message.headers['ct-correlation-id'] };
      });
      await harness.b.flush();
      const reply = await harness.a.request(
        subject('echo'),
        { n: 1, when: new Date('2026-11-21T00:00:00Z') },
        {
          headers: { 'ct-correlation-id': 'corr-7' },
        },
      );
      expect(reply).toEqual({
        echoed: { n: 1, when: '2026-11-21T00:00:00.000Z' },
        correlationId: 'corr-7',
      });
      expect(seen?.subject).toBe(subject('echo'));
      expect(seen?.headers['ct-correlation-id']).toBe('corr-7');
    });

    it('fails a request with no responder at once with NoResponderError, never waiting out the timeout', async () => {
      // The timeout is far longer than the test's own: a hang fails the test.
      await expect(
        harness.a.request(subject('nobody'), {}, { timeoutMs: 120_000 }),
      ).rejects.toBeInstanceOf(NoResponderError);
    }, 10_000);

    it('fails a request whose handler does not answer in time with RequestTimeoutError', async () => {
      harness.b.handle(subject('slow'), () => new Promise((resolve) => setTimeout(resolve, 2_000)));
      await harness.b.flush();
      await expect(
        harness.a.request(subject('slow'), {}, { timeoutMs: 100 }),
      ).rejects.toMatchObject({
        code: 'BUS_TIMEOUT',
        constructor: RequestTimeoutError,
      });
    });

    it('matches many concurrent replies, answered out of order, each to its own request', async () => {
      harness.b.handle(subject('shuffle'), async ({ data }) => {
        const { n } = data as { n: number };
        await new Promise((resolve) => setTimeout(resolve, (n * 7) % 23));
        return { n };
      });
      await harness.b.flush();
      const replies = await Promise.all(
        Array.from({ length: 200 }, (_, n) => harness.a.request(subject('shuffle'), { n })),
      );
      expect(replies).toEqual(Array.from({ length: 200 }, (_, n) => ({ n })));
    });

    it('drops a reply that comes after its request timed out; the next request gets its own', async () => {
      let calls = 0;
      harness.b.handle(subject('late'), async () => {
        const call = ++calls;
        if (call === 1) await new Promise((resolve) => setTimeout(resolve, 300));
        return { call };
      });
      await harness.b.flush();
      await expect(
        harness.a.request(subject('late'), {}, { timeoutMs: 50 }),
      ).rejects.toBeInstanceOf(RequestTimeoutError);
      const next = harness.a.request(subject('late'), {}, { timeoutMs: 2_000 });
      await new Promise((resolve) => setTimeout(resolve, 400)); // the late reply has come by now
      await expect(next).resolves.toEqual({ call: 2 });
    });

    it("returns a handler's error as a typed RemoteHandlerError keeping its code and details", async () => {
      harness.b.handle(subject('coded'), () => {
        throw new CodedError('job lab/42 is unknown');
      });
      harness.b.handle(subject('plain'), () => Promise.reject(new Error('disk on fire')));
      await harness.b.flush();
      const coded = harness.a.request(subject('coded'), {});
      await expect(coded).rejects.toBeInstanceOf(RemoteHandlerError);
      await expect(coded).rejects.toMatchObject({
        code: 'JOB_NOT_FOUND',
        message: 'job lab/42 is unknown',
        details: { cluster: 'lab', jobId: '42' },
      });
      await expect(harness.a.request(subject('plain'), {})).rejects.toMatchObject({
        code: 'HANDLER_FAILED',
        message: 'disk on fire',
      });
    });

    it('sends a RawJson reply as its text and hands it back unparsed to a raw request, errors still typed', async () => {
      harness.b.handle(subject('raw'), () => new RawJson('{"items":[1,"é"],"total":2}'));
      harness.b.handle(subject('object'), () => ({ n: 1 }));
      harness.b.handle(subject('refuse'), () => {
        throw new CodedError('job lab/42 is unknown');
      });
      await harness.b.flush();
      expect(await harness.a.request(subject('raw'), {})).toEqual({ items: [1, 'é'], total: 2 });
      const raw = await harness.a.request(subject('raw'), {}, { raw: true });
      expect(raw).toBeInstanceOf(RawJson);
      expect((raw as RawJson).text()).toBe('{"items":[1,"é"],"total":2}');
      const object = await harness.a.request(subject('object'), {}, { raw: true });
      expect((object as RawJson).text()).toBe('{"n":1}');
      await expect(harness.a.request(subject('refuse'), {}, { raw: true })).rejects.toMatchObject({
        code: 'JOB_NOT_FOUND',
        constructor: RemoteHandlerError,
      });
    });

    it('shares requests among handlers of one queue group, each request answered once', async () => {
      const served = { one: 0, two: 0 };
      harness.a.handle(subject('work'), () => ++served.one && 'one', { queue: 'workers' });
      harness.b.handle(subject('work'), () => ++served.two && 'two', { queue: 'workers' });
      await Promise.all([harness.a.flush(), harness.b.flush()]);
      const replies = [];
      for (let i = 0; i < 40; i++) replies.push(await harness.a.request(subject('work'), { i }));
      expect(served.one + served.two).toBe(40);
      expect(served.one).toBeGreaterThan(0);
      expect(served.two).toBeGreaterThan(0);
      expect(new Set(replies)).toEqual(new Set(['one', 'two']));
    });

    it('fans notifications out to every subscriber, once per queue group, wildcards included', async () => {
      const got = {
        plain1: [] as unknown[],
        plain2: [] as unknown[],
        wildcard: [] as unknown[],
        q1: 0,
        q2: 0,
      };
      harness.b.subscribe(subject('evt.job.Started'), (m) => void got.plain1.push(m.data));
      harness.a.subscribe(subject('evt.job.Started'), (m) => void got.plain2.push(m.data));
      harness.b.subscribe(subject('evt.>'), (m) => void got.wildcard.push(m.subject));
      harness.a.subscribe(subject('evt.*.Started'), () => void got.q1++, { queue: 'projection' });
      harness.b.subscribe(subject('evt.*.Started'), () => void got.q2++, { queue: 'projection' });
      await Promise.all([harness.a.flush(), harness.b.flush()]);
      for (let i = 0; i < 10; i++) await harness.a.publish(subject('evt.job.Started'), { i });
      await harness.a.publish(subject('evt.node.Drained'), {});
      await until(
        'every notification',
        () =>
          got.plain1.length === 10 &&
          got.plain2.length === 10 &&
          got.wildcard.length === 11 &&
          got.q1 + got.q2 === 10,
      );
      expect(got.plain1).toEqual(Array.from({ length: 10 }, (_, i) => ({ i })));
      expect(got.wildcard).toContain(subject('evt.node.Drained'));
    });

    it('keeps a failing notification handler from affecting the publisher or other subscribers', async () => {
      const got: unknown[] = [];
      harness.b.subscribe(subject('n'), () => {
        throw new Error('subscriber broke');
      });
      harness.b.subscribe(subject('n'), (m) => void got.push(m.data));
      await harness.b.flush();
      await harness.a.publish(subject('n'), { ok: true });
      await until('the healthy subscriber', () => got.length === 1);
    });

    it('stops delivering after unsubscribe', async () => {
      const got: unknown[] = [];
      const subscription = harness.b.subscribe(subject('u'), (m) => void got.push(m.data));
      await harness.b.flush();
      await harness.a.publish(subject('u'), 1);
      await until('first', () => got.length === 1);
      subscription.unsubscribe();
      const handler = harness.b.handle(subject('u-req'), () => 'x');
      handler.unsubscribe();
      await until('unsubscribe to propagate', async () => {
        try {
          await harness.a.request(subject('u-req'), {});
          return false;
        } catch (error) {
          return error instanceof NoResponderError;
        }
      });
      await harness.a.publish(subject('u'), 2);
      // A request/reply round trip on another subject orders after the publish on the same connection.
      harness.b.handle(subject('ping'), () => 'pong');
      await harness.b.flush();
      expect(await harness.a.request(subject('ping'), {})).toBe('pong');
      expect(got).toEqual([1]);
    });
  });
}
