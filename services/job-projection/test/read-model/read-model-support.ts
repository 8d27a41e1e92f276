import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMessage,
  evolveJob,
  expandHostList,
  type JobRecord,
  type MessageClass,
} from '@clocktower/contracts';
import type { RecordedEvent } from '@clocktower/event-store';
import { recordedHistory, type SyntheticHistoryOptions } from '@clocktower/testing';
import {
  SqliteReadModel,
  type SqliteReadModelOptions,
} from '../../src/adapters/store/sqlite-read-model.js';

/** A read model in a file of its own temporary directory; `dispose` closes and removes it. */
export function openTempModel(
  name = 'read-model.db',
  options: SqliteReadModelOptions = {},
): {
  model: SqliteReadModel;
  file: string;
  dispose: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'ct-read-model-'));
  const file = join(dir, name);
  const model = SqliteReadModel.open(file, {
    clock: () => new Date('2030-01-01T00:00:00.000Z'),
    ...options,
  });
  return {
    model,
    file,
    dispose: () => {
      model.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function history(options: SyntheticHistoryOptions): RecordedEvent[] {
  return [...recordedHistory(options)];
}

export function applyInBatches(
  model: SqliteReadModel,
  events: readonly RecordedEvent[],
  size: number,
): void {
  for (let i = 0; i < events.length; i += size) model.applyBatch(events.slice(i, i + size));
}

/** Builds RecordedEvents by hand, positions and revisions counted for the test. */
export class EventLog {
  readonly events: RecordedEvent[] = [];
  private position = 0n;
  private readonly revisions = new Map<string, number>();

  add(
    cls: MessageClass | { type: string; schemaVersion: number },
    stream: string,
    data: object,
    occurredAt: string,
  ): RecordedEvent {
    const revision = (this.revisions.get(stream) ?? -1) + 1;
    this.revisions.set(stream, revision);
    this.position++;
    const message = createMessage(cls as MessageClass, data, {
      eventId: `event-${this.position}`,
      occurredAt,
    });
    const event: RecordedEvent = {
      ...message,
      data: message.data as Record<string, unknown>,
      stream,
      revision,
      position: this.position,
      recordedAt: occurredAt,
    };
    this.events.push(event);
    return event;
  }

  /** Skips positions, as events of other categories (user-, pipeline-…) would use them. */
  skip(count: number): void {
    this.position += BigInt(count);
  }
}

export function jobRecord(overrides: Partial<JobRecord> & Pick<JobRecord, 'jobId'>): JobRecord {
  return {
    cluster: 'alpha',
    arrayJobId: null,
    arrayTaskId: null,
    name: 'job',
    user: 'ada',
    account: 'physics',
    partition: 'cpu',
    qos: 'normal',
    state: 'PENDING',
    stateReason: 'Priority',
    exitCode: null,
    signal: null,
    submitTime: '2024-05-01T10:00:00.000Z',
    eligibleTime: '2024-05-01T10:00:00.000Z',
    startTime: null,
    endTime: null,
    timeLimitMinutes: 60,
    nodes: null,
    requested: { cpus: 4, memoryMB: 4000, gpus: 0, nodes: 1 },
    allocated: { cpus: null, memoryMB: null, gpus: null, nodes: null },
    workDir: '/home/ada',
    stdout: null,
    stderr: null,
    comment: null,
    restartCount: 0,
    ...overrides,
  };
}

/** What the read model should hold, folded in memory from the same events: the test oracle. */
export interface OracleJob {
  readonly stream: string;
  readonly record: JobRecord;
  readonly updatedAt: string;
  /** Order of first appearance: the read model's tie-breaker. */
  readonly order: number;
  readonly nodesEver: ReadonlySet<string>;
}

export function oracleJobs(events: readonly RecordedEvent[]): OracleJob[] {
  const jobs = new Map<string, OracleJob>();
  for (const event of events) {
    if (!event.stream.startsWith('job-')) continue;
    const known = jobs.get(event.stream);
    const record = evolveJob(known?.record, event);
    if (!record) continue;
    const nodesEver = new Set(known?.nodesEver ?? []);
    if (record.nodes) for (const n of expandHostList(record.nodes)) nodesEver.add(n);
    jobs.set(event.stream, {
      stream: event.stream,
      record,
      updatedAt: event.occurredAt,
      order: known?.order ?? jobs.size,
      nodesEver,
    });
  }
  return [...jobs.values()];
}
