import { Timeline } from './timeline.js';

/** The fixture's clusters: `e2e` with most of the jobs and nodes, `aux` for per-cluster access. */
export const CLUSTER = 'e2e';
export const AUX = 'aux';

/** Where the history starts: well in the past, so nothing in it is "now". */
export const BASE = Date.parse('2026-01-10T08:00:00.000Z');

/** A cancel made by a user: its correlation id runs through the job's end events. */
export const CANCEL_CHAIN = 'e2e-cancel-chain-1006';

/**
 * Jobs whose every transition the tests know (seconds after BASE):
 * - 1001 alice: pending Priority 0–60, Resources 60–150, running on n01 150–450, COMPLETED exit 0.
 * - 1002 bob: pending Priority 30–90, running on n03 90–400, FAILED with exit code 3.
 * - 1003 alice: pending Priority 120–180, running 180–300, requeued (pending BeginTime 300–420),
 *   running again from 420 on n03.
 * - 1004 bob: pending Dependency since 200.
 * - 1005 alice: pending Priority 210–240, running on n02 240–600, TIMEOUT (signal 15).
 * - 1006 bob: pending Priority 220–260, cancelled by a user while pending (CANCEL_CHAIN).
 * - 2000 carol: an array job, tasks 2001 (COMPLETED), 2002 (RUNNING), 2003 (pending Resources).
 * - aux: 7001 alice RUNNING, 7002 bob COMPLETED, 7003 dave pending.
 * Nodes: n01, n02 (batch), n03 (gpu, 2 × a100), a01 (aux); n02 drained at 250.
 */
export function knownHistory(): Timeline {
  const t = new Timeline(BASE);
  const e2e = (jobId: string, name: string, user: string, account: string, partition: string) =>
    ({ cluster: CLUSTER, jobId, name, user, account, partition }) as const;
  t.reachable(0, CLUSTER)
    .reachable(0, AUX)
    .addNode(0, { cluster: CLUSTER, name: 'n01', partitions: ['batch'], cpus: 8 })
    .addNode(0, { cluster: CLUSTER, name: 'n02', partitions: ['batch'], cpus: 8 })
    .addNode(0, {
      cluster: CLUSTER,
      name: 'n03',
      partitions: ['gpu'],
      cpus: 16,
      gpus: 2,
      gpuType: 'a100',
    })
    .addNode(0, { cluster: AUX, name: 'a01', partitions: ['main'], cpus: 4 });

  t.submit(0, { ...e2e('1001', 'align-sample', 'alice', 'genomics', 'batch'), cpus: 4 })
    .pendingReason(60, CLUSTER, '1001', 'Resources')
    .start(150, CLUSTER, '1001', 'n01')
    .allocate(150, CLUSTER, 'n01', 4)
    .end(450, CLUSTER, '1001', { state: 'COMPLETED', exitCode: 0 })
    .allocate(450, CLUSTER, 'n01', 0);

  t.submit(30, { ...e2e('1002', 'call-variants', 'bob', 'genomics', 'gpu'), gpus: 1 })
    .start(90, CLUSTER, '1002', 'n03')
    .allocate(90, CLUSTER, 'n03', 1, 1)
    .end(400, CLUSTER, '1002', { state: 'FAILED', exitCode: 3, reason: 'NonZeroExitCode' });

  t.submit(120, { ...e2e('1003', 'train-model', 'alice', 'ml', 'gpu'), gpus: 1 })
    .start(180, CLUSTER, '1003', 'n03')
    .requeue(300, CLUSTER, '1003', 'BeginTime')
    .start(420, CLUSTER, '1003', 'n03');

  t.submit(200, e2e('1004', 'Notebook', 'bob', 'physics', 'interactive'), 'Dependency');

  t.submit(210, e2e('1005', 'big-mem', 'alice', 'physics', 'batch'))
    .start(240, CLUSTER, '1005', 'n02')
    .drain(250, CLUSTER, 'n02', 'disk check')
    .end(600, CLUSTER, '1005', { state: 'TIMEOUT', exitCode: null, signal: 15 });

  t.submit(220, e2e('1006', 'cancel-me', 'bob', 'genomics', 'batch')).end(
    260,
    CLUSTER,
    '1006',
    { state: 'CANCELLED', exitCode: null, reason: 'by user' },
    { correlationId: CANCEL_CHAIN },
  );

  const task = (id: string, index: string) => ({
    ...e2e(id, 'sweep', 'carol', 'ml', 'batch'),
    arrayJobId: '2000',
    arrayTaskId: index,
  });
  t.submit(300, task('2001', '1'))
    .submit(300, task('2002', '2'))
    .submit(300, task('2003', '3'))
    .start(330, CLUSTER, '2001', 'n01')
    .start(340, CLUSTER, '2002', 'n01')
    .pendingReason(340, CLUSTER, '2003', 'Resources')
    .end(500, CLUSTER, '2001', { state: 'COMPLETED', exitCode: 0 });

  const aux = (jobId: string, name: string, user: string) =>
    ({ cluster: AUX, jobId, name, user, account: 'aux', partition: 'main' }) as const;
  t.submit(10, aux('7001', 'aux-job', 'alice')).start(20, AUX, '7001', 'a01');
  t.submit(15, aux('7002', 'aux-other', 'bob'))
    .start(25, AUX, '7002', 'a01')
    .end(100, AUX, '7002', { state: 'COMPLETED', exitCode: 0 });
  t.submit(40, aux('7003', 'aux-wait', 'dave'));
  return t;
}

/** Pending seconds per reason of the jobs whose pending time the tests check (all ran since). */
export const KNOWN_PENDING: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  '1001': { Priority: 60, Resources: 90 },
  '1002': { Priority: 60 },
  '1003': { Priority: 60, BeginTime: 120 },
  '1006': { Priority: 40 },
};
