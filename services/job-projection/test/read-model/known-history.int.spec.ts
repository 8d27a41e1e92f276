import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { JobRecord, ListNodes, ReadChanges } from '@clocktower/contracts';
import type { SqliteReadModel } from '../../src/adapters/store/sqlite-read-model.js';
import { at, knownHistory, STREAMS } from './known-history.js';
import { openTempModel } from './read-model-support.js';

const log = knownHistory();
let model: SqliteReadModel;
let dispose: () => void;

beforeAll(() => {
  ({ model, dispose } = openTempModel());
  model.applyBatch(log.events);
});
afterAll(() => dispose());

describe('one job', () => {
  it('answers for the latest life of a reused job id', () => {
    expect(model.getJob('alpha', '2', {})).toMatchObject({
      stream: STREAMS.job2Again,
      user: 'cy',
      state: 'PENDING',
      updatedAt: at('12:10:30'),
      position: '26',
    });
    expect(model.getJobHistory('alpha', '2', {})?.events.map((e) => e.position)).toEqual(['26']);
    expect(model.listJobs({ jobIds: ['2'] }).total).toBe(2);
  });

  it('keeps every event of a job’s history, in order, with its times and ids', () => {
    const h = model.getJobHistory('alpha', '1', {})!;
    expect(h.stream).toBe(STREAMS.job1);
    expect(h.events.map((e) => [e.position, e.revision, e.type])).toEqual([
      ['4', 0, 'JobSubmitted'],
      ['5', 1, 'JobPendingReasonChanged'],
      ['6', 2, 'JobStateChanged'],
      ['7', 3, 'JobStarted'],
      ['18', 4, 'JobRequeued'],
      ['19', 5, 'JobStateChanged'],
      ['20', 6, 'JobStateChanged'],
      ['21', 7, 'JobStarted'],
      ['24', 8, 'JobStateChanged'],
      ['25', 9, 'JobEnded'],
    ]);
    expect(h.events[2]).toMatchObject({
      occurredAt: at('10:12:30'),
      slurmTime: at('10:12:00'),
      eventId: 'event-6',
      correlationId: 'event-6',
      causationId: 'event-6',
      data: { from: 'PENDING', to: 'RUNNING' },
    });
  });

  it('counts pending time per reason with Slurm’s times, over both runs of a requeued job', () => {
    // Priority 10:00–10:05 (the reason change is only known when observed), Resources until the
    // start at 10:12, then BeginTime from the observed return to PENDING (11:00:30) to 11:03:30.
    expect(model.getJobPendingTime('alpha', '1', {}, new Date(at('12:30:00')))).toEqual({
      cluster: 'alpha',
      jobId: '1',
      totalSeconds: 900,
      byReason: [
        { reason: 'Priority', seconds: 300 },
        { reason: 'Resources', seconds: 420 },
        { reason: 'BeginTime', seconds: 180 },
      ],
      pending: false,
      asOf: at('12:30:00'),
    });
  });

  it('counts a job still pending up to now', () => {
    expect(model.getJobPendingTime('alpha', '3', {}, new Date(at('12:30:00')))).toEqual({
      cluster: 'alpha',
      jobId: '3',
      totalSeconds: 3600,
      byReason: [{ reason: 'Priority', seconds: 3600 }],
      pending: true,
      asOf: at('12:30:00'),
    });
    expect(model.getJobPendingTime('alpha', '3', { onlyUser: 'bob' }, new Date())).toBeNull();
  });
});

describe('clusters and users', () => {
  it('sums jobs per state, nodes per state, CPUs and GPUs, and tells reachability', () => {
    expect(model.getCluster('alpha', {})).toEqual({
      cluster: 'alpha',
      simulated: false,
      source: 'ssh login1',
      reachable: true,
      unreachableReason: null,
      lastPollAt: at('12:20:00'),
      jobsByState: { COMPLETED: 1, CANCELLED: 1, PENDING: 2 },
      nodesByState: { MIXED: 1 },
      cpus: { total: 32, allocated: 4 },
      gpus: { total: 0, allocated: 0 },
      updatedAt: at('12:20:00'),
    });
  });

  it('takes lastPollAt from the collector’s poll notification when it is later', () => {
    const { model: other, dispose: done } = openTempModel();
    try {
      other.applyBatch(log.events.slice(0, 13));
      expect(other.getCluster('alpha', {})).toMatchObject({
        reachable: false,
        unreachableReason: 'ssh: TIMEOUT',
        lastPollAt: at('10:30:30'),
      });
      other.recordPoll('alpha', false, at('10:50:00'));
      expect(other.getCluster('alpha', {})?.lastPollAt).toBe(at('10:30:30'));
      other.recordPoll('alpha', true, at('10:51:00'));
      expect(other.getCluster('alpha', {})?.lastPollAt).toBe(at('10:51:00'));
    } finally {
      done();
    }
  });

  it('lists clusters in scope only', () => {
    expect(model.listClusters({}).map((c) => c.cluster)).toEqual(['alpha']);
    expect(model.listClusters({ onlyClusters: ['beta'] })).toEqual([]);
    expect(model.getCluster('alpha', { onlyClusters: ['beta'] })).toBeNull();
  });

  it('counts each Slurm user’s jobs per state', () => {
    expect(model.listClusterUsers('alpha', {})).toEqual([
      { cluster: 'alpha', user: 'ada', jobsByState: { COMPLETED: 1, PENDING: 1 }, total: 2 },
      { cluster: 'alpha', user: 'bob', jobsByState: { CANCELLED: 1 }, total: 1 },
      { cluster: 'alpha', user: 'cy', jobsByState: { PENDING: 1 }, total: 1 },
    ]);
    expect(model.listClusterUsers('alpha', { onlyUser: 'bob' }).map((u) => u.user)).toEqual([
      'bob',
    ]);
  });
});

describe('nodes', () => {
  const names = (query: Partial<ListNodes>) =>
    model.listNodes(query as ListNodes).items.map((n) => n.name);

  it('lists present nodes with their filters, and keeps a removed one findable', () => {
    expect(names({})).toEqual(['cn01']);
    expect(names({ flag: 'DRAIN' })).toEqual(['cn01']);
    expect(names({ flag: 'DRA' })).toEqual([]);
    expect(names({ partition: 'debug', state: ['MIXED'] })).toEqual(['cn01']);
    expect(names({ gpuType: 'a100' })).toEqual([]);
    expect(model.getNode('alpha', 'gpu01', {})).toMatchObject({ removed: true, gpuType: 'a100' });
    expect(model.getNode('alpha', 'cn01', {})).toMatchObject({
      removed: false,
      flags: ['DRAIN'],
      cpusAllocated: 4,
    });
  });

  it('keeps a node’s history in order', () => {
    expect(model.getNodeHistory('alpha', 'cn01', {})?.events.map((e) => e.type)).toEqual([
      'NodeAdded',
      'NodeAllocationChanged',
      'NodeStateChanged',
      'NodeStateChanged',
    ]);
    expect(model.getNodeHistory('alpha', 'cn01', { onlyClusters: [] })).toBeNull();
  });
});

describe('as of a past time', () => {
  const asOf = (time: string) => model.getClusterAsOf({ cluster: 'alpha', time })!;
  const jobIds = (time: string) => asOf(time).jobs.items.map((j) => `${j.jobId}:${j.state}`);

  it('shows the jobs that existed then and had not ended, as they were', () => {
    expect(jobIds(at('09:00:00'))).toEqual([]);
    expect(jobIds(at('10:15:00'))).toEqual(['1:RUNNING']);
    expect(jobIds(at('10:25:00'))).toEqual(['1:RUNNING', '2:PENDING']);
    expect(jobIds(at('11:02:00'))).toEqual(['1:PENDING']);
    expect(asOf(at('11:02:00')).jobs.items[0]).toMatchObject({
      stateReason: 'BeginTime',
      restartCount: 1,
    });
    expect(jobIds(at('12:15:00'))).toEqual(['3:PENDING', '2:PENDING']);
    expect(asOf(at('10:25:00')).jobsByState).toEqual({ RUNNING: 1, PENDING: 1 });
  });

  it('shows every node as it was, and none before it was added', () => {
    expect(asOf(at('09:00:00')).nodes).toEqual([]);
    const early = asOf(at('10:15:00')).nodes;
    expect(early.map((n) => [n.name, n.state, n.flags, n.cpusAllocated])).toEqual([
      ['cn01', 'MIXED', [], 4],
      ['gpu01', 'IDLE', [], 0],
    ]);
    expect(asOf(at('12:30:00')).nodes.map((n) => n.name)).toEqual(['cn01']);
  });

  it('pages the jobs with a cursor, and applies the user scope', () => {
    const first = model.getClusterAsOf({ cluster: 'alpha', time: at('10:25:00'), limit: 1 })!;
    expect(first.jobs.total).toBe(2);
    const second = model.getClusterAsOf({
      cluster: 'alpha',
      time: at('10:25:00'),
      limit: 1,
      cursor: first.jobs.nextCursor!,
    })!;
    expect([...first.jobs.items, ...second.jobs.items].map((j) => j.jobId)).toEqual(['1', '2']);
    expect(second.jobs.nextCursor).toBeNull();
    const bobs = model.getClusterAsOf({ cluster: 'alpha', time: at('10:25:00'), onlyUser: 'bob' })!;
    expect(bobs.jobs.items.map((j) => j.jobId)).toEqual(['2']);
    expect(model.getClusterAsOf({ cluster: 'nowhere', time: at('10:25:00') })).toBeNull();
  });
});

describe('what changed', () => {
  it('lists a cluster’s changes in (from, to], oldest first, each with the record after it', () => {
    const query = { cluster: 'alpha', from: at('10:10:00'), to: at('10:30:30'), limit: 3 };
    const pages = [model.getClusterChanges(query)];
    while (pages.at(-1)!.nextCursor)
      pages.push(model.getClusterChanges({ ...query, cursor: pages.at(-1)!.nextCursor! }));
    const items = pages.flatMap((p) => p.items);
    expect(pages[0]!.total).toBe(7);
    expect(items.map((c) => [c.position, c.kind, c.key, c.type])).toEqual([
      ['6', 'job', '1', 'JobStateChanged'],
      ['7', 'job', '1', 'JobStarted'],
      ['8', 'node', 'cn01', 'NodeAllocationChanged'],
      ['9', 'node', 'cn01', 'NodeStateChanged'],
      ['10', 'job', '2', 'JobSubmitted'],
      ['14', 'job', '2', 'JobStateChanged'],
      ['15', 'job', '2', 'JobEnded'],
    ]);
    expect((items[1]!.after as JobRecord).nodes).toBe('cn01');
    expect((items[0]!.after as JobRecord).nodes).toBeNull();
    expect(items[3]!.after).toMatchObject({ state: 'MIXED', cpusAllocated: 4 });
  });

  it('feeds every change after a position, up to what is folded', () => {
    const feed = model.readChanges({ afterPosition: '0' });
    expect(feed.items).toHaveLength(24);
    expect(feed.lastPosition).toBe('27');
    expect(feed.projectedPosition).toBe('27');
    expect(feed.items.find((c) => c.position === '16')).toMatchObject({
      kind: 'cluster',
      key: null,
      after: null,
    });
  });

  it('filters the feed like a job list; nodes and the cluster drop out under job-only filters', () => {
    const positions = (query: Partial<ReadChanges>) =>
      model.readChanges({ afterPosition: '0', ...query }).items.map((c) => Number(c.position));
    expect(positions({ user: 'bob' })).toEqual([10, 14, 15]);
    expect(positions({ state: ['COMPLETED'] })).toEqual([24, 25]);
    expect(positions({ node: 'cn01' })).toEqual([2, 4, 5, 6, 7, 8, 9, 18, 19, 20, 21, 22, 24, 25]);
    expect(positions({ partition: 'gpu' })).toEqual([3, 10, 14, 15, 27]);
    expect(positions({ cluster: 'alpha' })).toHaveLength(24);
    expect(positions({ onlyUser: 'cy' })).toEqual([1, 2, 3, 8, 9, 16, 17, 22, 26, 27]);
    expect(positions({ onlyClusters: ['beta'] })).toEqual([]);
  });

  it('moves lastPosition on when a filter matches nothing, and stops at the limit', () => {
    expect(model.readChanges({ afterPosition: '0', user: 'nobody' }).lastPosition).toBe('27');
    const first = model.readChanges({ afterPosition: '0', user: 'ada', limit: 2 });
    expect(first.items.map((c) => c.position)).toEqual(['4', '5']);
    expect(first.lastPosition).toBe('5');
    const rest = model.readChanges({
      afterPosition: first.lastPosition,
      user: 'ada',
    });
    expect(rest.items[0]?.position).toBe('6');
    expect(model.readChanges({ afterPosition: '27' })).toEqual({
      items: [],
      lastPosition: '27',
      projectedPosition: '27',
    });
  });
});
