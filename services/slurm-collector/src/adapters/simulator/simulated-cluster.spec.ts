import { describe, expect, it } from '@jest/globals';
import {
  queued,
  quietCluster,
  sacct,
  sinfo,
  squeue,
} from '../../../test/simulator/simulator-support.js';
import { renderSacctJson } from './sacct-json.render.js';
import { SimulatedCluster } from './simulated-cluster.js';
import { simulatedClusterConfig } from './simulated-cluster.config.js';
import { SimJobState } from './simulated-job.js';
import { SimulatedCommandRejectedError, SimulatedJobNotFoundError } from './simulator.errors.js';
import { renderSinfoJson } from './sinfo-json.render.js';
import { renderSqueueJson } from './squeue-json.render.js';

function bodies(cluster: SimulatedCluster): string[] {
  return [
    renderSqueueJson(cluster),
    renderSinfoJson(cluster),
    renderSacctJson(cluster, 0, cluster.now),
  ];
}

describe('SimulatedCluster: determinism', () => {
  it('replays the same history for the same seed: identical squeue, sinfo and sacct bodies', () => {
    const a = new SimulatedCluster(simulatedClusterConfig({ seed: 42 }));
    const b = new SimulatedCluster(simulatedClusterConfig({ seed: 42 }));
    expect(bodies(a)).toEqual(bodies(b));
    a.advance(1800);
    b.advance(600);
    b.advance(1200);
    expect(bodies(a)).toEqual(bodies(b));
  });

  it('gives another history for another seed', () => {
    const a = new SimulatedCluster(simulatedClusterConfig({ seed: 1 }));
    const b = new SimulatedCluster(simulatedClusterConfig({ seed: 2 }));
    expect(renderSqueueJson(a)).not.toEqual(renderSqueueJson(b));
  });

  it('is not moved by looking at it: rendering draws no randomness', () => {
    const a = new SimulatedCluster(simulatedClusterConfig({ seed: 5 }));
    const b = new SimulatedCluster(simulatedClusterConfig({ seed: 5 }));
    for (let i = 0; i < 5; i++) bodies(a);
    a.advance(900);
    b.advance(900);
    expect(bodies(a)).toEqual(bodies(b));
  });
});

describe('SimulatedCluster: the workload', () => {
  it('starts busy: after the warm-up jobs run, wait and have ended, and a node is drained', () => {
    const cluster = new SimulatedCluster(simulatedClusterConfig({ seed: 1 }));
    const states = new Set(squeue(cluster).map((j) => j.job_state));
    expect([...states]).toEqual(expect.arrayContaining(['RUNNING', 'PENDING', 'COMPLETED']));
    expect(sinfo(cluster).some((n) => n.state_flags.includes('DRAIN') && n.reason !== '')).toBe(
      true,
    );
  });

  it('shows every job state and pending reason of the mix within a virtual day', () => {
    const cluster = new SimulatedCluster(simulatedClusterConfig({ seed: 1 }));
    const start = cluster.now;
    const states = new Set<string>();
    const reasons = new Set<string>();
    for (let t = 0; t < 24 * 3600; t += 900) {
      cluster.advance(900);
      for (const job of squeue(cluster)) {
        states.add(job.job_state);
        if (job.job_state === 'PENDING') reasons.add(job.state_reason);
      }
    }
    for (const job of sacct(cluster, start, cluster.now)) states.add(job.state.current);
    expect([...states]).toEqual(
      expect.arrayContaining([
        'PENDING',
        'RUNNING',
        'COMPLETED',
        'FAILED',
        'CANCELLED',
        'TIMEOUT',
        'NODE_FAIL',
      ]),
    );
    expect([...reasons]).toEqual(
      expect.arrayContaining(['Priority', 'Resources', 'Dependency', 'JobHeldUser', 'BeginTime']),
    );
  });

  it('never gives a node more CPUs, memory or GPUs than it has, nor one core or GPU to two jobs', () => {
    const cluster = new SimulatedCluster(
      simulatedClusterConfig({ seed: 3, incidents: { failuresPerDay: 12 } }),
    );
    const violations: string[] = [];
    for (let step = 0; step < 12 * 12; step++) {
      cluster.advance(300);
      const used = cluster.nodes.map(() => ({
        cpus: 0,
        memory: 0,
        cores: new Set<number>(),
        gpus: new Set<number>(),
      }));
      for (const job of cluster.jobs()) {
        if (job.state !== SimJobState.Running) continue;
        for (const a of job.allocations) {
          const u = used[a.node]!;
          u.cpus += a.cpus;
          u.memory += a.memoryMB;
          for (const c of a.cores) {
            if (u.cores.has(c))
              violations.push(`${cluster.now}: core ${c} of node ${a.node} twice`);
            u.cores.add(c);
          }
          for (const g of a.gpus) {
            if (u.gpus.has(g)) violations.push(`${cluster.now}: GPU ${g} of node ${a.node} twice`);
            u.gpus.add(g);
          }
        }
      }
      cluster.nodes.forEach((node, i) => {
        const u = used[i]!;
        const at = `${cluster.now} ${node.name}`;
        if (u.cpus > node.cpus || u.memory > node.memoryMB || u.gpus.size > node.gpus)
          violations.push(`${at}: over capacity`);
        if (node.allocCpus !== u.cpus || node.allocMemoryMB !== u.memory)
          violations.push(`${at}: counters drifted`);
        if (node.down && u.cpus > 0) violations.push(`${at}: jobs on a down node`);
      });
    }
    expect(violations).toEqual([]);
  });
});

describe('SimulatedCluster: arrays', () => {
  it('queues an array as one meta record, then gives each started task its own record and the last task the array id', () => {
    const cluster = quietCluster();
    const meta = cluster.submit({ name: 'arr', array: '1-4', cpus: 2, runtimeSeconds: 600 });
    const before = squeue(cluster);
    expect(before).toHaveLength(1);
    expect(before[0]).toMatchObject({
      job_id: meta.jobId,
      job_state: 'PENDING',
      array_job_id: meta.jobId,
      array_task_id: null,
      array_task_string: '1-4',
    });

    cluster.advance(1);

    const tasks = squeue(cluster);
    expect(tasks).toHaveLength(4);
    expect(
      tasks.every(
        (t) =>
          t.job_state === 'RUNNING' && t.array_job_id === meta.jobId && t.array_task_string === '',
      ),
    ).toBe(true);
    expect(tasks.map((t) => [t.array_task_id, t.job_id === meta.jobId])).toEqual(
      expect.arrayContaining([
        [1, false],
        [2, false],
        [3, false],
        [4, true],
      ]),
    );
    expect(new Set(tasks.map((t) => t.job_id)).size).toBe(4);
  });

  it('holds tasks beyond the %N limit with JobArrayTaskLimit, and sacct shows them as a bitmap', () => {
    const cluster = quietCluster();
    const meta = cluster.submit({ name: 'arr', array: '1-5%2', runtimeSeconds: 600 });
    cluster.advance(1);
    const pending = queued(cluster, meta.jobId);
    expect(pending).toMatchObject({
      job_state: 'PENDING',
      state_reason: 'JobArrayTaskLimit',
      array_task_string: '3-5%2',
      array_max_tasks: 2,
    });
    expect(squeue(cluster).filter((j) => j.job_state === 'RUNNING')).toHaveLength(2);
    const record = sacct(cluster).find((j) => j.job_id === meta.jobId);
    expect(record?.array).toMatchObject({ job_id: meta.jobId, task: '0x38', task_id: null });
  });
});

describe('SimulatedCluster: nodes', () => {
  it('a drained node keeps its job, takes no new one, and shows DRAIN with reason, who and when', () => {
    const cluster = quietCluster();
    const running = cluster.submit({ cpus: 4, runtimeSeconds: 3600 });
    cluster.advance(1);
    const node = queued(cluster, running.jobId)!.nodes;
    cluster.drainNode(node, 'bad DIMM', 'root');
    const other = cluster.submit({ cpus: 2, runtimeSeconds: 3600 });
    cluster.advance(1);

    expect(sinfo(cluster).find((n) => n.name === node)).toMatchObject({
      state: 'mixed',
      state_flags: ['DRAIN'],
      reason: 'bad DIMM',
      reason_set_by_user: 'root',
      reason_changed_at: cluster.now - 1,
    });
    expect(queued(cluster, running.jobId)?.job_state).toBe('RUNNING');
    expect(queued(cluster, other.jobId)?.nodes).not.toBe(node);
  });

  it('a failed node is DOWN and NOT_RESPONDING; a requeueable job returns to PENDING, the other ends in NODE_FAIL', () => {
    const cluster = quietCluster();
    const requeued = cluster.submit({ cpus: 4, runtimeSeconds: 3600, partition: 'cpu' });
    const lost = cluster.submit({ cpus: 4, runtimeSeconds: 3600, requeue: false });
    cluster.advance(60);
    const node = queued(cluster, requeued.jobId)!.nodes;
    expect(queued(cluster, lost.jobId)!.nodes).toBe(node);

    cluster.failNode(node);
    cluster.advance(1);

    expect(sinfo(cluster).find((n) => n.name === node)).toMatchObject({
      state: 'down',
      state_flags: ['NOT_RESPONDING'],
      reason: 'Not responding',
      reason_set_by_user: 'slurm',
      cpu_load: 4294967294,
      alloc_cpus: 0,
    });
    expect(queued(cluster, requeued.jobId)).toMatchObject({
      job_state: 'PENDING',
      state_reason: 'BeginTime',
      restart_cnt: 1,
    });
    expect(queued(cluster, lost.jobId)).toMatchObject({
      job_state: 'NODE_FAIL',
      state_reason: 'NodeDown',
      exit_code: 256,
    });
    cluster.advance(120);
    const records = sacct(cluster).filter((j) => j.job_id === requeued.jobId);
    expect(records.map((r) => r.state.current)).toEqual(['NODE_FAIL', 'RUNNING']);
    expect(records[0]?.nodes).toBe(node);
    expect(records[1]?.nodes).not.toBe(node);
  });

  it('a requeued job starts again after the requeue delay, on a node that answers', () => {
    const cluster = quietCluster();
    const job = cluster.submit({ cpus: 8, runtimeSeconds: 3600 });
    cluster.advance(1);
    const first = queued(cluster, job.jobId)!.nodes;
    cluster.failNode(first);
    cluster.advance(121);
    expect(queued(cluster, job.jobId)).toMatchObject({ job_state: 'RUNNING', restart_cnt: 1 });
    expect(queued(cluster, job.jobId)?.nodes).not.toBe(first);
    cluster.resumeNode(first);
    expect(sinfo(cluster).find((n) => n.name === first)).toMatchObject({
      state: 'idle',
      state_flags: [],
      reason: '',
      reason_set_by_user: null,
    });
  });
});

describe('SimulatedCluster: how jobs end', () => {
  it('an ended job leaves squeue MinJobAge (300 s) after its end but stays in sacct', () => {
    const cluster = quietCluster();
    const job = cluster.submit({ runtimeSeconds: 60 });
    cluster.advance(60);
    expect(queued(cluster, job.jobId)).toMatchObject({
      job_state: 'COMPLETED',
      end_time: cluster.now,
    });
    cluster.advance(299);
    expect(queued(cluster, job.jobId)?.job_state).toBe('COMPLETED');
    cluster.advance(1);
    expect(queued(cluster, job.jobId)).toBeUndefined();
    expect(sacct(cluster).find((j) => j.job_id === job.jobId)?.state.current).toBe('COMPLETED');
  });

  it('a job that runs past its limit is killed after it and ends in TIMEOUT with TimeLimit', () => {
    const cluster = quietCluster();
    const job = cluster.submit({ timeLimitMinutes: 1, runtimeSeconds: 600 });
    cluster.advance(59);
    expect(queued(cluster, job.jobId)?.job_state).toBe('RUNNING');
    cluster.advance(120);
    const record = queued(cluster, job.jobId)!;
    expect(record).toMatchObject({
      job_state: 'TIMEOUT',
      state_reason: 'TimeLimit',
      exit_code: 15,
    });
    expect(record.end_time - record.start_time).toBeGreaterThan(60);
  });

  it('a job that exits non-zero is FAILED with the raw wait status in squeue and the code in sacct', () => {
    const cluster = quietCluster();
    const job = cluster.submit({ runtimeSeconds: 30, exitCode: 3 });
    cluster.advance(30);
    expect(queued(cluster, job.jobId)).toMatchObject({
      job_state: 'FAILED',
      state_reason: 'NonZeroExitCode',
      exit_code: 768,
    });
    expect(sacct(cluster).find((j) => j.job_id === job.jobId)?.exit_code).toEqual({
      status: 'FAILED',
      return_code: 3,
    });
  });

  it('a job cancelled while pending has no nodes; one cancelled while running ends by SIGTERM', () => {
    const cluster = quietCluster();
    const running = cluster.submit({ runtimeSeconds: 600 });
    const pending = cluster.submit({ runtimeSeconds: 600, hold: true });
    cluster.advance(10);
    cluster.cancel(String(pending.jobId), { user: 'alice' });
    cluster.cancel(String(running.jobId));
    cluster.advance(1);
    expect(queued(cluster, pending.jobId)).toMatchObject({
      job_state: 'CANCELLED',
      nodes: '',
      cpus: null,
      exit_code: 0,
    });
    expect(queued(cluster, running.jobId)).toMatchObject({ job_state: 'CANCELLED', exit_code: 15 });
    const records = sacct(cluster);
    expect(records.find((j) => j.job_id === pending.jobId)).toMatchObject({
      nodes: 'None assigned',
      kill_request_user: 'alice',
    });
    expect(records.find((j) => j.job_id === running.jobId)?.kill_request_user).toBe('clocktower');
  });

  it('a second cancel changes nothing; an unknown id is refused as scancel refuses it', () => {
    const cluster = quietCluster();
    const job = cluster.submit({ runtimeSeconds: 600 });
    cluster.advance(1);
    cluster.cancel(String(job.jobId));
    const after = renderSqueueJson(cluster);
    cluster.cancel(String(job.jobId));
    expect(renderSqueueJson(cluster)).toBe(after);
    expect(() => cluster.cancel('999999')).toThrow(SimulatedJobNotFoundError);
  });

  it('a signal that does not end a job is delivered and the job runs on', () => {
    const cluster = quietCluster();
    const job = cluster.submit({ runtimeSeconds: 600 });
    cluster.advance(1);
    cluster.cancel(String(job.jobId), { signal: 'USR1' });
    cluster.advance(1);
    expect(queued(cluster, job.jobId)?.job_state).toBe('RUNNING');
  });
});

describe('SimulatedCluster: waiting', () => {
  it('the first job that does not fit waits for Resources and the ones behind it for Priority', () => {
    const cluster = quietCluster();
    cluster.submit({ cpus: 8, runtimeSeconds: 600 });
    cluster.submit({ cpus: 8, runtimeSeconds: 600 });
    const first = cluster.submit({ cpus: 8, runtimeSeconds: 600 });
    const second = cluster.submit({ cpus: 8, runtimeSeconds: 600 });
    cluster.advance(1);
    expect(queued(cluster, first.jobId)).toMatchObject({
      job_state: 'PENDING',
      state_reason: 'Resources',
      start_time: 0,
    });
    expect(queued(cluster, second.jobId)).toMatchObject({
      job_state: 'PENDING',
      state_reason: 'Priority',
    });
    cluster.advance(600);
    expect(queued(cluster, first.jobId)?.job_state).toBe('RUNNING');
  });

  it('waits on a dependency, starts once it completed, and never when it failed', () => {
    const cluster = quietCluster();
    const ok = cluster.submit({ runtimeSeconds: 60 });
    const bad = cluster.submit({ runtimeSeconds: 60, exitCode: 1 });
    const afterOk = cluster.submit({ runtimeSeconds: 60, dependency: `afterok:${ok.jobId}` });
    const afterBad = cluster.submit({ runtimeSeconds: 60, dependency: `afterok:${bad.jobId}` });
    cluster.advance(1);
    expect(queued(cluster, afterOk.jobId)).toMatchObject({
      state_reason: 'Dependency',
      dependency: `afterok:${ok.jobId}(unfulfilled)`,
      eligible_time: 0,
    });
    cluster.advance(60);
    expect(queued(cluster, afterOk.jobId)).toMatchObject({ job_state: 'RUNNING', dependency: '' });
    expect(queued(cluster, afterBad.jobId)).toMatchObject({
      job_state: 'PENDING',
      state_reason: 'DependencyNeverSatisfied',
      dependency: `afterok:${bad.jobId}(failed)`,
    });
  });

  it('a held job waits with JobHeldUser and priority 0; a --begin job waits with BeginTime until then', () => {
    const cluster = quietCluster();
    const held = cluster.submit({ hold: true });
    const later = cluster.submit({ beginTime: cluster.now + 600, runtimeSeconds: 60 });
    cluster.advance(1);
    expect(queued(cluster, held.jobId)).toMatchObject({
      state_reason: 'JobHeldUser',
      priority: 0,
      eligible_time: 0,
    });
    expect(queued(cluster, later.jobId)).toMatchObject({
      state_reason: 'BeginTime',
      start_time: cluster.now + 599,
    });
    cluster.advance(599);
    expect(queued(cluster, later.jobId)?.job_state).toBe('RUNNING');
  });

  it('places a GPU job on a GPU node and names its cards', () => {
    const cluster = quietCluster();
    const job = cluster.submit({
      partition: 'gpu',
      gpus: 2,
      gpuType: 'a100',
      cpus: 4,
      memoryMB: 32_000,
    });
    cluster.advance(1);
    expect(queued(cluster, job.jobId)).toMatchObject({
      job_state: 'RUNNING',
      nodes: 'g01',
      gres_detail: ['gpu:a100:2(IDX:0-1)'],
      tres_per_node: 'gres:gpu:a100:2',
      tres_alloc_str: 'cpu=4,mem=32000M,node=1,billing=4,gres/gpu=2',
    });
    expect(sinfo(cluster).find((n) => n.name === 'g01')).toMatchObject({
      gres: 'gpu:a100:2(S:0-1)',
      gres_used: 'gpu:a100:2(IDX:0-1)',
    });
  });

  it('refuses what sbatch refuses: an unknown partition, a job no node can hold', () => {
    const cluster = quietCluster();
    expect(() => cluster.submit({ partition: 'nope' })).toThrow(SimulatedCommandRejectedError);
    expect(() => cluster.submit({ cpus: 64 })).toThrow(
      'Requested node configuration is not available',
    );
    expect(cluster.jobCount).toBe(0);
  });
});
