import { describe, expect, it } from '@jest/globals';
import type { JobRecord } from '@clocktower/contracts';
import {
  decodeJobRecord,
  encodeArrayForm,
  encodeJobRecord,
  jobViewJson,
} from './job-record.codec.js';
import { jobIdNumber } from './job-columns.js';

const record: JobRecord = {
  cluster: 'alpha',
  jobId: '17_3',
  arrayJobId: '17',
  arrayTaskId: '3',
  name: 'n',
  user: 'u',
  account: null,
  partition: 'cpu',
  qos: null,
  state: 'FAILED',
  stateReason: 'NonZeroExitCode',
  exitCode: 2,
  signal: null,
  submitTime: '2024-05-01T10:00:00.000Z',
  eligibleTime: null,
  startTime: '2024-05-01T10:01:00.000Z',
  endTime: '2024-05-01T10:02:00.000Z',
  timeLimitMinutes: null,
  nodes: 'cn[01-02]',
  requested: { cpus: 2, memoryMB: null, gpus: 0, nodes: 1 },
  allocated: { cpus: 2, memoryMB: 100, gpus: null, nodes: 1 },
  workDir: '/w',
  stdout: null,
  stderr: '/w/err',
  comment: 'c',
  restartCount: 0,
};

describe('the stored job record', () => {
  it('decodes to exactly the record encoded', () => {
    expect(decodeJobRecord(encodeJobRecord(record))).toEqual(record);
  });

  it('still decodes rows stored in the older array form', () => {
    expect(decodeJobRecord(encodeArrayForm(record))).toEqual(record);
  });

  it('keeps every field, absent ones as null, and nothing outside JobRecord', () => {
    const sparse = { ...record, account: undefined, extra: 'dropped' } as unknown as JobRecord;
    const decoded = decodeJobRecord(encodeJobRecord(sparse));
    expect(decoded).toEqual({ ...record, account: null });
  });

  it("joins a job's view JSON that equals JSON.stringify of the view, whichever the stored form", () => {
    const columns = { stream: 'job-alpha-17_3-"q"', updatedAt: '2024-05-01T10:02:00.000Z' };
    const view = { ...record, ...columns, position: '4242' };
    for (const stored of [encodeJobRecord(record), encodeArrayForm(record)]) {
      const text = jobViewJson(stored, columns.stream, columns.updatedAt, 4242);
      expect(text).toBe(JSON.stringify(view));
    }
  });
});

describe('job ids as sort keys', () => {
  it('sort by their leading number, so 9 comes before 10', () => {
    expect(['10', '9', '123_4', 'x1'].map(jobIdNumber)).toEqual([10, 9, 123, null]);
  });
});
