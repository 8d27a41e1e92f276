import {
  ClusterReachable,
  ClusterUnreachable,
  JobEnded,
  JobPendingReasonChanged,
  JobRequeued,
  JobStarted,
  JobStateChanged,
  JobSubmitted,
  NodeAdded,
  NodeAllocationChanged,
  NodeRemoved,
  NodeStateChanged,
  type NodeRecord,
} from '@clocktower/contracts';
import { EventLog, jobRecord } from './read-model-support.js';

const day = '2024-05-01T';
export const at = (time: string): string => `${day}${time}.000Z`;

function node(name: string, overrides: Partial<NodeRecord>): NodeRecord {
  return {
    cluster: 'alpha',
    name,
    state: 'IDLE',
    flags: [],
    reason: null,
    reasonSetBy: null,
    reasonSince: null,
    cpus: 32,
    cpusAllocated: 0,
    memoryMB: 128_000,
    memoryAllocatedMB: 0,
    gpus: 0,
    gpusAllocated: 0,
    gpuType: null,
    partitions: ['cpu', 'debug'],
    features: [],
    ...overrides,
  };
}

export const STREAMS = {
  job1: 'job-alpha-1-1714557600',
  job2: 'job-alpha-2-1714558800',
  job3: 'job-alpha-3-1714563000',
  job2Again: 'job-alpha-2-1714565400',
  cn01: 'node-alpha-cn01',
  gpu01: 'node-alpha-gpu01',
  cluster: 'cluster-alpha',
} as const;

/**
 * A day on cluster alpha whose every transition is known: job 1 (ada) waits for Priority 5 min
 * then Resources 7 min, runs on cn01, is requeued, waits for BeginTime 3 min, runs again and
 * completes; job 2 (bob) is cancelled while pending; job 3 (ada) still pends; job id 2 is then
 * handed out again (cy); cn01 is drained; the cluster is unreachable for 5 minutes; gpu01 leaves.
 */
export function knownHistory(): EventLog {
  const log = new EventLog();
  const job = (jobId: string) => ({ cluster: 'alpha', jobId, observedIn: 'squeue' as const });
  const s = STREAMS;
  log.add(
    ClusterReachable,
    s.cluster,
    { cluster: 'alpha', source: 'ssh login1', simulated: false },
    at('10:00:00'),
  );
  log.add(
    NodeAdded,
    s.cn01,
    { cluster: 'alpha', node: 'cn01', record: node('cn01', {}) },
    at('10:00:00'),
  );
  log.add(
    NodeAdded,
    s.gpu01,
    {
      cluster: 'alpha',
      node: 'gpu01',
      record: node('gpu01', { cpus: 64, gpus: 4, gpuType: 'a100', partitions: ['gpu'] }),
    },
    at('10:00:00'),
  );
  log.add(
    JobSubmitted,
    s.job1,
    {
      ...job('1'),
      record: jobRecord({ jobId: '1', name: 'Train-ResNet', submitTime: at('10:00:00') }),
      slurmTime: at('10:00:00'),
    },
    at('10:00:30'),
  );
  log.add(
    JobPendingReasonChanged,
    s.job1,
    { ...job('1'), from: 'Priority', to: 'Resources' },
    at('10:05:00'),
  );
  log.add(
    JobStateChanged,
    s.job1,
    { ...job('1'), from: 'PENDING', to: 'RUNNING', reason: null, slurmTime: at('10:12:00') },
    at('10:12:30'),
  );
  log.add(
    JobStarted,
    s.job1,
    {
      ...job('1'),
      nodes: 'cn01',
      allocated: { cpus: 4, memoryMB: 4000, gpus: 0, nodes: 1 },
      slurmTime: at('10:12:00'),
    },
    at('10:12:30'),
  );
  log.add(
    NodeAllocationChanged,
    s.cn01,
    { cluster: 'alpha', node: 'cn01', cpusAllocated: 4, memoryAllocatedMB: 4000, gpusAllocated: 0 },
    at('10:12:30'),
  );
  log.add(
    NodeStateChanged,
    s.cn01,
    {
      cluster: 'alpha',
      node: 'cn01',
      fromState: 'IDLE',
      fromFlags: [],
      toState: 'MIXED',
      toFlags: [],
      reason: null,
      reasonSetBy: null,
      reasonSince: null,
    },
    at('10:12:30'),
  );
  log.add(
    JobSubmitted,
    s.job2,
    {
      ...job('2'),
      record: jobRecord({
        jobId: '2',
        user: 'bob',
        account: 'chem',
        partition: 'gpu',
        submitTime: at('10:20:00'),
      }),
      slurmTime: at('10:20:00'),
    },
    at('10:20:30'),
  );
  log.skip(3); // events of other categories in between
  log.add(
    JobStateChanged,
    s.job2,
    { ...job('2'), from: 'PENDING', to: 'CANCELLED', reason: null, slurmTime: at('10:30:00') },
    at('10:30:30'),
  );
  log.add(
    JobEnded,
    s.job2,
    {
      ...job('2'),
      state: 'CANCELLED',
      exitCode: null,
      signal: 15,
      reason: null,
      slurmTime: at('10:30:00'),
    },
    at('10:30:30'),
  );
  log.add(
    ClusterUnreachable,
    s.cluster,
    { cluster: 'alpha', source: 'ssh login1', reason: 'ssh: TIMEOUT' },
    at('10:40:00'),
  );
  log.add(
    ClusterReachable,
    s.cluster,
    { cluster: 'alpha', source: 'ssh login1', simulated: false },
    at('10:45:00'),
  );
  log.add(
    JobRequeued,
    s.job1,
    { ...job('1'), previousState: 'RUNNING', restartCount: 1, slurmTime: at('11:00:00') },
    at('11:00:30'),
  );
  log.add(
    JobStateChanged,
    s.job1,
    { ...job('1'), from: 'RUNNING', to: 'PENDING', reason: 'BeginTime', slurmTime: null },
    at('11:00:30'),
  );
  log.add(
    JobStateChanged,
    s.job1,
    { ...job('1'), from: 'PENDING', to: 'RUNNING', reason: null, slurmTime: at('11:03:30') },
    at('11:04:00'),
  );
  log.add(
    JobStarted,
    s.job1,
    {
      ...job('1'),
      nodes: 'cn01',
      allocated: { cpus: 4, memoryMB: 4000, gpus: 0, nodes: 1 },
      slurmTime: at('11:03:30'),
    },
    at('11:04:00'),
  );
  log.add(
    NodeStateChanged,
    s.cn01,
    {
      cluster: 'alpha',
      node: 'cn01',
      fromState: 'MIXED',
      fromFlags: [],
      toState: 'MIXED',
      toFlags: ['DRAIN'],
      reason: 'maintenance',
      reasonSetBy: 'root',
      reasonSince: at('11:10:00'),
    },
    at('11:10:00'),
  );
  log.add(
    JobSubmitted,
    s.job3,
    {
      ...job('3'),
      record: jobRecord({ jobId: '3', submitTime: at('11:30:00') }),
      slurmTime: at('11:30:00'),
    },
    at('11:30:30'),
  );
  log.add(
    JobStateChanged,
    s.job1,
    { ...job('1'), from: 'RUNNING', to: 'COMPLETED', reason: null, slurmTime: at('12:00:00') },
    at('12:00:30'),
  );
  log.add(
    JobEnded,
    s.job1,
    {
      ...job('1'),
      state: 'COMPLETED',
      exitCode: 0,
      signal: null,
      reason: null,
      slurmTime: at('12:00:00'),
    },
    at('12:00:30'),
  );
  log.add(
    JobSubmitted,
    s.job2Again,
    {
      ...job('2'),
      record: jobRecord({ jobId: '2', user: 'cy', submitTime: at('12:10:00') }),
      slurmTime: at('12:10:00'),
    },
    at('12:10:30'),
  );
  log.add(
    NodeRemoved,
    s.gpu01,
    { cluster: 'alpha', node: 'gpu01', lastState: 'IDLE' },
    at('12:20:00'),
  );
  return log;
}
