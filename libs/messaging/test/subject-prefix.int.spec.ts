import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Controller, Module, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { IsString } from 'class-validator';
import { MessageKind, Subjects, type Message } from '@clocktower/contracts';
import { labComponent, until } from '@clocktower/testing';
import {
  BusClient,
  BusTransport,
  HandleRequest,
  NatsMessageBus,
  NoResponderError,
  OnNotification,
  type BusMessage,
} from '../src/index.js';

class WhoAnswers {
  static readonly type = 'WhoAnswers';
  static readonly schemaVersion = 1;
  static readonly kind = MessageKind.Query;
  static readonly service = 'prefix-test';
  declare static readonly reply?: { installation: string };
  @IsString() asker!: string;
}

class ThingHappened {
  static readonly type = 'ThingHappened';
  static readonly schemaVersion = 1;
  static readonly kind = MessageKind.Event;
  static readonly category = 'thing';
  @IsString() by!: string;
}

interface Installation {
  readonly name: string;
  /** The services' connection, and a client's. */
  readonly serving: NatsMessageBus;
  readonly bus: NatsMessageBus;
  readonly client: BusClient;
  readonly app: INestMicroservice;
  readonly notified: string[];
}

/** One installation's handlers, declared as every service declares them: default-prefix subjects. */
function handlersOf(name: string, notified: string[]): Type {
  @Controller()
  class InstallationHandlers {
    @HandleRequest(WhoAnswers)
    who(@Payload() _message: Message<WhoAnswers>) {
      return { installation: name };
    }

    @OnNotification(Subjects.event(ThingHappened.category, ThingHappened))
    thing(@Payload() message: Message<ThingHappened>) {
      notified.push(message.data.by);
    }
  }
  return InstallationHandlers;
}

const nats = await labComponent('nats');
const natsUrl = nats.available ? nats.value : '';

(nats.available ? describe : describe.skip)(
  `two installations on one NATS with different subject prefixes${nats.available ? '' : ` (${nats.reason})`}`,
  () => {
    const run = randomBytes(4).toString('hex');
    const installations: Installation[] = [];
    let onWire: BusMessage[] = [];
    let watcher: NatsMessageBus;

    async function install(name: string): Promise<Installation> {
      const subjectPrefix = `${name}${run}`;
      const serving = await NatsMessageBus.connect({ servers: natsUrl, subjectPrefix });
      const notified: string[] = [];
      @Module({ controllers: [handlersOf(name, notified)] })
      class InstallationModule {}
      const app = await NestFactory.createMicroservice(InstallationModule, {
        strategy: new BusTransport(serving, { service: WhoAnswers.service }),
        logger: false,
      });
      await app.listen();
      const bus = await NatsMessageBus.connect({ servers: natsUrl, subjectPrefix });
      const installation = { name, serving, bus, client: new BusClient(bus), app, notified };
      installations.push(installation);
      return installation;
    }

    beforeAll(async () => {
      // Everything either installation sends, seen from outside both.
      watcher = await NatsMessageBus.connect({ servers: natsUrl });
      for (const name of ['a', 'b']) {
        watcher.subscribe(`${name}${run}.>`, (message) => void onWire.push(message));
      }
      await watcher.flush();
      await install('a');
      await install('b');
    });

    afterAll(async () => {
      for (const i of installations) {
        await i.app.close();
        await Promise.all([i.serving.close(), i.bus.close()]);
      }
      await watcher.close();
    });

    it("answers each installation's queries from its own handlers only, though both share a queue group name", async () => {
      const [a, b] = installations;
      onWire = [];
      for (let n = 0; n < 20; n++) {
        expect(await a!.client.request(WhoAnswers, { asker: 'a' })).toEqual({ installation: 'a' });
        expect(await b!.client.request(WhoAnswers, { asker: 'b' })).toEqual({ installation: 'b' });
      }
      const subjects = new Set(onWire.map((m) => m.subject));
      expect(subjects).toEqual(
        new Set([`a${run}.query.prefix-test.WhoAnswers`, `b${run}.query.prefix-test.WhoAnswers`]),
      );
    });

    it('finds no responder for an installation whose services are not running, rather than answers from another', async () => {
      const lonely = await NatsMessageBus.connect({
        servers: natsUrl,
        subjectPrefix: `c${run}`,
      });
      try {
        await expect(
          new BusClient(lonely).request(WhoAnswers, { asker: 'c' }, { timeoutMs: 60_000 }),
        ).rejects.toBeInstanceOf(NoResponderError);
      } finally {
        await lonely.close();
      }
    });

    it("delivers each installation's notifications to its own subscribers only", async () => {
      const [a, b] = installations;
      await a!.client.notify(
        ThingHappened.category,
        BusClient.envelope(ThingHappened, { by: 'a' }),
      );
      await until('a sees its notification', () => a!.notified.includes('a'));
      await b!.client.notify(
        ThingHappened.category,
        BusClient.envelope(ThingHappened, { by: 'b' }),
      );
      await until('b sees its notification', () => b!.notified.includes('b'));
      expect(a!.notified).toEqual(['a']);
      expect(b!.notified).toEqual(['b']);
    });
  },
);

describe('a subject prefix', () => {
  it('is refused by the bus unless it is one NATS subject token, naming it', () => {
    for (const bad of ['a.b', 'ct*', '', 'has space']) {
      expect(() => Subjects.rebase('ct.query.x.Y', bad)).toThrow(/subject prefix/);
    }
    expect(Subjects.rebase('ct.query.x.Y', 'site-2')).toBe('site-2.query.x.Y');
    expect(Subjects.rebase('ct.query.x.Y', 'ct')).toBe('ct.query.x.Y');
  });
});
