import { describe, expect, it } from '@jest/globals';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { createMessage } from './envelope.js';
import { MessageRegistry } from './message-registry.js';
import { UpcastError, UpcasterRegistry } from './upcaster-registry.js';
import { MessageKind } from './message-class.js';
import { ValidationFailedError } from '../validation/validation-failed.error.js';

class Resources {
  @IsInt() @Min(1) cpus!: number;
}

class JobSubmittedV3 {
  static readonly type = 'JobSubmitted';
  static readonly schemaVersion = 3;
  static readonly kind = MessageKind.Event;
  @IsString() jobId!: string;
  @IsString() user!: string;
  @ValidateNested() @Type(() => Resources) requested!: Resources;
}

function registry(): MessageRegistry {
  const upcasters = new UpcasterRegistry()
    // v1 had `owner`; v2 renamed it to `user`; v3 added requested resources.
    .register('JobSubmitted', 1, ({ owner, ...rest }) => ({ ...rest, user: owner }))
    .register('JobSubmitted', 2, (data) => ({ ...data, requested: { cpus: 1 } }));
  return new MessageRegistry(upcasters).register(JobSubmittedV3);
}

describe('MessageRegistry', () => {
  it('parses a current envelope into a typed message', () => {
    const message = createMessage(
      JobSubmittedV3,
      Object.assign(new JobSubmittedV3(), { jobId: '42', user: 'ada', requested: { cpus: 4 } }),
      { correlationId: 'c-1' },
    );
    const parsed = registry().parse(JSON.parse(JSON.stringify(message)));
    expect(parsed.data).toBeInstanceOf(JobSubmittedV3);
    expect(parsed).toMatchObject({
      type: 'JobSubmitted',
      schemaVersion: 3,
      correlationId: 'c-1',
      causationId: 'c-1',
    });
    expect((parsed.data as JobSubmittedV3).requested).toBeInstanceOf(Resources);
  });

  it('lifts a v1 event read back from the store to the newest shape', () => {
    const old = {
      type: 'JobSubmitted',
      schemaVersion: 1,
      eventId: 'e-1',
      correlationId: 'e-1',
      causationId: 'e-1',
      occurredAt: '2026-11-21T10:00:00.000Z',
      data: { jobId: '7', owner: 'grace' },
    };
    const parsed = registry().parse(old);
    expect(parsed.schemaVersion).toBe(3);
    expect(parsed.data).toEqual({ jobId: '7', user: 'grace', requested: { cpus: 1 } });
  });

  it('names every bad field, nested ones with their path', () => {
    const bad = {
      type: 'JobSubmitted',
      schemaVersion: 3,
      eventId: '',
      correlationId: 'x',
      causationId: 'x',
      occurredAt: 'yesterday',
      data: { jobId: 5, requested: { cpus: 0 } },
    };
    let error: unknown;
    try {
      registry().parse(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationFailedError);
    const paths = (error as ValidationFailedError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(['eventId', 'occurredAt']);
    // The envelope is checked before the data: fix the envelope and the data's fields are named.
    const fixed = { ...bad, eventId: 'e', occurredAt: '2026-11-21T10:00:00Z' };
    expect(() => registry().parse(fixed)).toThrow(/data\.jobId.*data\.user.*data\.requested\.cpus/);
  });

  it("checks each envelope field's rule, naming every problem of every field", () => {
    const issuesOf = (input: unknown): unknown => {
      try {
        registry().parse(input);
      } catch (error) {
        return (error as ValidationFailedError).issues;
      }
      return [];
    };
    expect(issuesOf([])).toEqual([{ path: '', problems: ['must be a JSON object'] }]);
    expect(issuesOf({})).toEqual([
      { path: 'type', problems: ['type should not be empty', 'type must be a string'] },
      {
        path: 'schemaVersion',
        problems: [
          'schemaVersion must not be less than 1',
          'schemaVersion must be an integer number',
        ],
      },
      { path: 'eventId', problems: ['eventId should not be empty', 'eventId must be a string'] },
      {
        path: 'correlationId',
        problems: ['correlationId should not be empty', 'correlationId must be a string'],
      },
      {
        path: 'causationId',
        problems: ['causationId should not be empty', 'causationId must be a string'],
      },
      { path: 'occurredAt', problems: ['occurredAt must be a valid ISO 8601 date string'] },
      { path: 'data', problems: ['data must be an object'] },
    ]);
    expect(
      issuesOf({
        type: 'JobSubmitted',
        schemaVersion: 2.5,
        eventId: 7,
        correlationId: 'c',
        causationId: 'c',
        occurredAt: '2026-02-30T10:00:00Z',
        data: [],
      }),
    ).toEqual([
      { path: 'schemaVersion', problems: ['schemaVersion must be an integer number'] },
      { path: 'eventId', problems: ['eventId must be a string'] },
      { path: 'occurredAt', problems: ['occurredAt must be a valid ISO 8601 date string'] },
      { path: 'data', problems: ['data must be an object'] },
    ]);
  });

  it('rejects an unknown type and unknown fields when asked to', () => {
    expect(() =>
      registry().parse({
        ...createMessage(JobSubmittedV3, { jobId: '1', user: 'u', requested: { cpus: 1 } }),
        type: 'Nope',
      }),
    ).toThrow(/unknown message type "Nope"/);
    expect(() =>
      registry().parseData(
        JobSubmittedV3,
        { jobId: '1', user: 'u', requested: { cpus: 1 }, extra: true },
        3,
        { rejectUnknown: true },
      ),
    ).toThrow(/extra/);
  });

  it('fails clearly when an upcaster step is missing or the version is from the future', () => {
    const upcasters = new UpcasterRegistry().register('T', 1, (d) => d);
    expect(() => upcasters.upcast('T', 1, 3, {})).toThrow(
      new UpcastError('no upcaster registered for T from v2 to v3'),
    );
    expect(() => upcasters.upcast('T', 4, 3, {})).toThrow(/newer than this build knows/);
    expect(() => upcasters.register('T', 1, (d) => d)).toThrow(/already registered/);
  });

  it('parses a repeated query once, frozen, and every command and bad query afresh', () => {
    class ListThings {
      static readonly type = 'ListThings';
      static readonly schemaVersion = 1;
      static readonly kind = MessageKind.Query;
      @IsString() user!: string;
    }
    class CreateThing {
      static readonly type = 'CreateThing';
      static readonly schemaVersion = 1;
      static readonly kind = MessageKind.Command;
      @IsString() name!: string;
    }
    const r = new MessageRegistry().register(ListThings, CreateThing);
    const wire = (cls: typeof ListThings | typeof CreateThing, data: object) =>
      JSON.parse(JSON.stringify(createMessage(cls, data))) as unknown;
    const first = r.parseOf(ListThings, wire(ListThings, { user: 'ada' }));
    const again = r.parseOf(ListThings, wire(ListThings, { user: 'ada' }));
    expect(again.data).toBe(first.data);
    expect(Object.isFrozen(again.data)).toBe(true);
    expect(again.eventId).not.toBe(first.eventId);
    expect(r.parseOf(ListThings, wire(ListThings, { user: 'bob' })).data).toEqual({ user: 'bob' });
    for (let i = 0; i < 2; i++)
      expect(() => r.parseOf(ListThings, wire(ListThings, { user: 7 }))).toThrow(
        ValidationFailedError,
      );
    const command = r.parseOf(CreateThing, wire(CreateThing, { name: 'x' }));
    expect(r.parseOf(CreateThing, wire(CreateThing, { name: 'x' })).data).not.toBe(command.data);
    expect(Object.isFrozen(command.data)).toBe(false);
  });
});
