import { IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { EnvKey, EnvNumber } from '@clocktower/config';
import { DEFAULT_SUBJECT_PREFIX, SUBJECT_TOKEN } from '@clocktower/contracts';

export const BusKind = { Nats: 'nats', InProcess: 'in-process' } as const;
export type BusKind = (typeof BusKind)[keyof typeof BusKind];

export const StoreKind = {
  Sqlite: 'sqlite',
  EventStoreDb: 'eventstoredb',
  Memory: 'memory',
} as const;
export type StoreKind = (typeof StoreKind)[keyof typeof StoreKind];

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * What every service is configured with. A service's own config class extends it (and sets its
 * default PORT). Only adapters differ between embedded and distributed runs.
 */
export class PlatformConfig {
  /** `nats` between processes; `in-process` inside the embedded process. */
  @EnvKey('CLOCKTOWER_BUS') @IsIn(Object.values(BusKind)) bus: BusKind = BusKind.Nats;

  @EnvKey('NATS_URL')
  @Matches(/^(nats|tls):\/\/[^\s,]+(,(nats|tls):\/\/[^\s,]+)*$/, {
    message: 'must be one or more nats://host:port URLs, comma-separated',
  })
  natsUrl = 'nats://127.0.0.1:4222';

  /**
   * The first token of every NATS subject this installation uses (requests, their queue groups,
   * notifications): two installations on one NATS must differ here, or each answers the other's
   * queries. Every service of one installation must have the same.
   */
  @EnvKey('CLOCKTOWER_SUBJECT_PREFIX')
  @Matches(SUBJECT_TOKEN, {
    message:
      'must be one NATS subject token: letters, digits, - and _ (no dots, spaces or wildcards)',
  })
  subjectPrefix: string = DEFAULT_SUBJECT_PREFIX;

  @EnvKey('CLOCKTOWER_STORE') @IsIn(Object.values(StoreKind)) store: StoreKind = StoreKind.Sqlite;

  /** Where the SQLite store and other local state live. */
  @EnvKey('CLOCKTOWER_DATA') @IsString() @IsNotEmpty() dataDir = './data';

  @EnvKey('EVENTSTORE_URL')
  @ValidateIf((c: PlatformConfig) => c.store === StoreKind.EventStoreDb)
  @Matches(/^esdb(\+discover)?:\/\//, {
    message: 'must be an esdb:// connection string when CLOCKTOWER_STORE=eventstoredb',
  })
  eventStoreUrl: string | undefined = undefined;

  /** HTTP port (the gateway's API, or a service's health endpoints). */
  @EnvNumber('PORT') @IsInt() @Min(0) @Max(65535) port = 8080;

  /** Loopback by default: exposing a service is a deliberate choice. */
  @EnvKey('HOST') @IsString() @IsNotEmpty() host = '127.0.0.1';

  @EnvKey('LOG_LEVEL') @IsIn(LOG_LEVELS) logLevel: LogLevelName = 'log';

  @EnvKey('LOG_FORMAT') @IsIn(['json', 'text']) logFormat: 'json' | 'text' = 'json';
}
