import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  expandJobStates,
  JOB_SORT_FIELDS,
  type JobSortField,
  type JobView,
  type ListJobs,
  type SortOrder,
} from '@clocktower/contracts';
import { InvalidCursorError } from '../../src/domain/projection.errors.js';
import { SPARSE_USER_MATCHES } from '../../src/adapters/store/job-list.query.js';
import type { SqliteReadModel } from '../../src/adapters/store/sqlite-read-model.js';
import {
  applyInBatches,
  history,
  oracleJobs,
  openTempModel,
  type OracleJob,
} from './read-model-support.js';

const events = history({ seed: 11, jobs: 700, clusters: 2, nodes: 12, users: 12, accounts: 4 });
const jobs = oracleJobs(events);
let model: SqliteReadModel;
let dispose: () => void;

beforeAll(() => {
  ({ model, dispose } = openTempModel());
  applyInBatches(model, events, 500);
});
afterAll(() => dispose());

function listAll(query: Omit<ListJobs, 'cursor'>): { views: JobView[]; total: number } {
  const views: JobView[] = [];
  let cursor: string | undefined;
  let total = -1;
  do {
    const page = model.listJobs({ ...query, ...(cursor ? { cursor } : {}) });
    views.push(...page.items);
    total = page.total;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { views, total };
}

function expectMatches(query: Omit<ListJobs, 'cursor'>, keep: (j: OracleJob) => boolean): void {
  const expected = jobs.filter(keep).map((j) => j.stream);
  const { views, total } = listAll({ ...query, limit: 1000 });
  expect(views.map((v) => v.stream).sort()).toEqual(expected.sort());
  expect(total).toBe(expected.length);
}

const some = <T>(values: T[]): T => values[Math.floor(values.length / 2)]!;
const a = (j: OracleJob) => j.record;

describe('listJobs filters', () => {
  const user = some([...new Set(jobs.map((j) => a(j).user))].sort());
  const running = new Set(expandJobStates(['running']));
  const failed = new Set(expandJobStates(['failed']));
  const pendingOrFailed = new Set(expandJobStates(['pending', 'FAILED']));
  const times = jobs.map((j) => a(j).submitTime!).sort();
  const from = times[100]!;
  const to = times[400]!;
  const starts = jobs.flatMap((j) => (a(j).startTime ? [a(j).startTime!] : [])).sort();
  const ends = jobs.flatMap((j) => (a(j).endTime ? [a(j).endTime!] : [])).sort();
  const arrayJobId = some(jobs.flatMap((j) => (a(j).arrayJobId ? [a(j).arrayJobId!] : [])));
  const node = some([...new Set(jobs.flatMap((j) => [...j.nodesEver]))].sort());

  it.each<[string, Omit<ListJobs, 'cursor'>, (j: OracleJob) => boolean]>([
    ['no filter', {}, () => true],
    ['cluster', { cluster: 'bravo' }, (j) => a(j).cluster === 'bravo'],
    ['user', { user }, (j) => a(j).user === user],
    ['account', { account: 'acct01' }, (j) => a(j).account === 'acct01'],
    ['partition', { partition: 'gpu' }, (j) => a(j).partition === 'gpu'],
    ['a Slurm state', { state: ['COMPLETED'] }, (j) => a(j).state === 'COMPLETED'],
    ['the running group', { state: ['running'] }, (j) => running.has(a(j).state)],
    ['the failed group', { state: ['failed'] }, (j) => failed.has(a(j).state)],
    [
      'a group and a state',
      { state: ['pending', 'FAILED'] },
      (j) => pendingOrFailed.has(a(j).state),
    ],
    [
      'user and state group',
      { user, state: ['failed'] },
      (j) => a(j).user === user && failed.has(a(j).state),
    ],
    [
      'cluster and partition',
      { cluster: 'alpha', partition: 'cpu' },
      (j) => a(j).cluster === 'alpha' && a(j).partition === 'cpu',
    ],
    ['node (inside a host list)', { node }, (j) => j.nodesEver.has(node)],
    [
      'name, case-insensitive',
      { nameContains: 'ReSnEt' },
      (j) => a(j).name.toLowerCase().includes('resnet'),
    ],
    [
      'job ids',
      { jobIds: ['1000', '1001', '1010'] },
      (j) => ['1000', '1001', '1010'].includes(a(j).jobId),
    ],
    ['array job id', { arrayJobId }, (j) => a(j).arrayJobId === arrayJobId],
    [
      'submitted between',
      { submittedFrom: from, submittedTo: to },
      (j) => a(j).submitTime! >= from && a(j).submitTime! <= to,
    ],
    ['started from', { startedFrom: starts[50]! }, (j) => (a(j).startTime ?? '') >= starts[50]!],
    [
      'ended to',
      { endedTo: ends[50]! },
      (j) => a(j).endTime !== null && a(j).endTime! <= ends[50]!,
    ],
    [
      'a time with an offset, as the same instant',
      { submittedTo: from.replace('Z', '+00:00') },
      (j) => a(j).submitTime! <= from,
    ],
  ])('filters by %s', (_name, query, keep) => {
    expectMatches(query, keep);
  });

  it('the data set exercises every filter (none of the cases above is empty)', () => {
    expect(jobs.filter((j) => j.nodesEver.has(node)).length).toBeGreaterThan(0);
    expect(jobs.filter((j) => failed.has(a(j).state)).length).toBeGreaterThan(0);
    expect(jobs.filter((j) => running.has(a(j).state)).length).toBeGreaterThan(0);
    expect(jobs.filter((j) => a(j).arrayJobId === arrayJobId).length).toBeGreaterThan(1);
  });
});

describe('listJobs scope', () => {
  it('onlyUser restricts to that Slurm user, and a user filter for another matches nothing', () => {
    expectMatches({ onlyUser: 'user001' }, (j) => a(j).user === 'user001');
    expectMatches({ onlyUser: 'user001', user: 'user002' }, () => false);
  });

  it('onlyClusters restricts to those clusters', () => {
    expectMatches({ onlyClusters: ['alpha'] }, (j) => a(j).cluster === 'alpha');
    expectMatches({ onlyClusters: ['alpha'], cluster: 'bravo' }, () => false);
    expectMatches({ onlyClusters: [] }, () => false);
  });

  it('getJob returns null for a job out of scope', () => {
    const job = jobs[0]!.record;
    expect(model.getJob(job.cluster, job.jobId, {})?.stream).toBe(jobs[0]!.stream);
    expect(model.getJob(job.cluster, job.jobId, { onlyUser: `${job.user}-other` })).toBeNull();
    expect(model.getJob(job.cluster, job.jobId, { onlyClusters: ['elsewhere'] })).toBeNull();
    expect(model.getJobHistory(job.cluster, job.jobId, { onlyUser: 'nobody' })).toBeNull();
  });
});

function sortValue(j: OracleJob, field: JobSortField): (string | number | null)[] {
  const r = j.record;
  switch (field) {
    case 'updatedAt':
      return [j.updatedAt];
    case 'jobId': {
      const digits = /^\d+/.exec(r.jobId);
      return [digits ? Number(digits[0]) : null, r.jobId];
    }
    case 'user':
      return [r.user];
    case 'state':
      return [r.state];
    default:
      return [r[field]];
  }
}

function expectedOrder(field: JobSortField, order: SortOrder): string[] {
  const sign = order === 'asc' ? 1 : -1;
  const cmp = (x: string | number, y: string | number): number => (x < y ? -1 : x > y ? 1 : 0);
  return [...jobs]
    .sort((p, q) => {
      const [pv, ...pRest] = sortValue(p, field);
      const [qv, ...qRest] = sortValue(q, field);
      if ((pv === null) !== (qv === null)) return pv === null ? 1 : -1; // nulls last, both ways
      if (pv !== null && qv !== null && pv !== qv) return sign * cmp(pv!, qv!);
      for (let i = 0; i < pRest.length; i++)
        if (pRest[i] !== qRest[i]) return sign * cmp(pRest[i] as string, qRest[i] as string);
      return sign * (p.order - q.order);
    })
    .map((j) => j.stream);
}

describe('listJobs sorting and paging', () => {
  const cases = JOB_SORT_FIELDS.flatMap((field) =>
    (['asc', 'desc'] as const).map((order) => [field, order] as const),
  );

  it.each(cases)(
    'sorts by %s %s, and cursor paging visits every job exactly once',
    (sort, order) => {
      const { views, total } = listAll({ sort, order, limit: 37 });
      expect(views.map((v) => v.stream)).toEqual(expectedOrder(sort, order));
      expect(total).toBe(jobs.length);
    },
  );

  it('orders a user’s state filter the same whether its jobs are looked up by state or walked', () => {
    // Up to SPARSE_USER_MATCHES matches, jobs_user_state is read (and sorted unless in its order);
    // beyond, the user's own index is walked. Both must give the oracle's order, page after page.
    const users = [...new Set(jobs.map((j) => a(j).user))].sort();
    const totals: number[] = [];
    for (const user of users)
      for (const state of [['finished'], ['COMPLETED'], ['pending'], ['running']])
        for (const [sort, order] of [
          ['submitTime', 'desc'],
          ['submitTime', 'asc'],
          ['startTime', 'desc'],
        ] as const) {
          const states = new Set(expandJobStates(state));
          const mine = new Set(
            jobs.filter((j) => a(j).user === user && states.has(a(j).state)).map((j) => j.stream),
          );
          const { views, total } = listAll({ user, state, sort, order, limit: 7 });
          expect(views.map((v) => v.stream)).toEqual(
            expectedOrder(sort, order).filter((s) => mine.has(s)),
          );
          expect(total).toBe(mine.size);
          totals.push(total);
        }
    expect(totals.some((t) => t > SPARSE_USER_MATCHES)).toBe(true);
    expect(totals.some((t) => t > 0 && t <= SPARSE_USER_MATCHES)).toBe(true);
  });

  it('page paging gives the same sequence as cursor paging', () => {
    const byCursor = listAll({ sort: 'startTime', order: 'asc', limit: 37 }).views;
    const byPage: JobView[] = [];
    for (let page = 1; page <= Math.ceil(jobs.length / 37); page++)
      byPage.push(...model.listJobs({ sort: 'startTime', order: 'asc', limit: 37, page }).items);
    expect(byPage.map((v) => v.stream)).toEqual(byCursor.map((v) => v.stream));
  });

  it('answers the same page as JSON text as the page it parses into, filters and cursor included', () => {
    const first = { user: jobs[0]!.record.user, sort: 'startTime', limit: 7 } as const;
    const cursor = model.listJobs(first).nextCursor ?? undefined;
    for (const query of [{}, first, { ...first, ...(cursor ? { cursor } : {}) }, { page: 2 }]) {
      expect(model.listJobsJson(query)).toBe(JSON.stringify(model.listJobs(query)));
    }
  });

  it('defaults to newest submitted first, DEFAULT_PAGE_LIMIT a page', () => {
    const page = model.listJobs({});
    expect(page.items.map((v) => v.stream)).toEqual(
      expectedOrder('submitTime', 'desc').slice(0, 50),
    );
    expect(page.nextCursor).not.toBeNull();
  });

  it('refuses a cursor it did not hand out, naming the field', () => {
    const attempt =
      (cursor: string, sort: JobSortField = 'submitTime') =>
      () =>
        model.listJobs({ cursor, sort });
    expect(attempt('not a cursor!')).toThrow(InvalidCursorError);
    expect(attempt('eyJ4IjoxfQ')).toThrow(/cursor/);
    const cursor = model.listJobs({ sort: 'submitTime', limit: 5 }).nextCursor!;
    let error: unknown;
    try {
      attempt(cursor, 'jobId')();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'INVALID_CURSOR', field: 'cursor' });
  });
});
