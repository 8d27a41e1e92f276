import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { MessageKind, Subjects, type Message } from '@clocktower/contracts';
import { labComponent } from '@clocktower/testing';
import {
  BusClient,
  BusTransport,
  HandleRequest,
  InProcessMessageBus,
  NatsMessageBus,
  RemoteHandlerError,
  type MessageBus,
} from '../src/index.js';

class GetGreeting {
  static readonly type = 'GetGreeting';
  static readonly schemaVersion = 1;
  static readonly kind = MessageKind.Query;
  static readonly service = 'greeter';
  declare static readonly reply?: { text: string; correlationId: string; causationId: string };
  @IsString() name!: string;
  @IsInt() @Min(1) @Max(3) times!: number;
}

const handled: Message<GetGreeting>[] = [];

@Controller()
class GreeterController {
  @HandleRequest(GetGreeting)
  greet(@Payload() message: Message<GetGreeting>) {
    handled.push(message);
    if (message.data.name === 'nobody')
      throw Object.assign(new Error('nobody to greet'), { code: 'NOT_FOUND' });
    return {
      text: `hello ${message.data.name}`.repeat(message.data.times),
      correlationId: message.correlationId,
      causationId: message.causationId,
    };
  }
}

@Module({ controllers: [GreeterController] })
class GreeterModule {}

const nats = await labComponent('nats');
const transports: [string, () => Promise<MessageBus[]>][] = [
  [
    'in-process',
    () => {
      const bus = new InProcessMessageBus();
      return Promise.resolve([bus, bus]);
    },
  ],
];
if (nats.available) {
  transports.push([
    'nats',
    async () => [
      await NatsMessageBus.connect({ servers: nats.value }),
      await NatsMessageBus.connect({ servers: nats.value }),
    ],
  ]);
}

describe.each(transports)('NestJS handlers over the %s bus', (_name, open) => {
  let app: INestMicroservice | undefined;
  let buses: MessageBus[] = [];

  async function start(): Promise<BusClient> {
    buses = await open();
    handled.length = 0;
    app = await NestFactory.createMicroservice(GreeterModule, {
      strategy: new BusTransport(buses[0]!, { service: 'greeter' }),
      logger: false,
    });
    await app.listen();
    return new BusClient(buses[1]!);
  }

  afterEach(async () => {
    await app?.close();
    await Promise.all([...new Set(buses)].map((b) => b.close()));
  });

  it('delivers a valid query as a parsed message and returns the reply, the correlation id carried', async () => {
    const client = await start();
    const reply = await client.request(
      GetGreeting,
      { name: 'ada', times: 2 },
      { correlationId: 'corr-1' },
    );
    expect(reply).toEqual({
      text: 'hello adahello ada',
      correlationId: 'corr-1',
      causationId: 'corr-1',
    });
    expect(handled[0]!.data).toBeInstanceOf(GetGreeting);
    expect(Subjects.of(GetGreeting)).toBe('ct.query.greeter.GetGreeting');
  });

  it('rejects invalid input naming every bad field, and never calls the handler', async () => {
    const client = await start();
    const error = await client
      .request(GetGreeting, { name: 5, times: 9, extra: 1 } as unknown as GetGreeting)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteHandlerError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    const issues = (error as RemoteHandlerError).details as { issues: { path: string }[] };
    expect(issues.issues.map((i) => i.path).sort()).toEqual([
      'data.extra',
      'data.name',
      'data.times',
    ]);
    expect(handled).toHaveLength(0);
  });

  it("returns a handler's coded error to the requester", async () => {
    const client = await start();
    await expect(client.request(GetGreeting, { name: 'nobody', times: 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'nobody to greet',
    });
  });
});
