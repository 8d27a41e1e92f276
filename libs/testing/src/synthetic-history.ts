import {
  ClusterReachable,
  ClusterUnreachable,
  compressHostList,
  createMessage,
  JobEnded,
  JobPendingReasonChanged,
  JobRequeued,
  JobResourcesChanged,
  JobStarted,
  JobStateChanged,
  JobSubmitted,
  NodeAdded,
  NodeAllocationChanged,
  NodeStateChanged,
  type JobRecord,
  type Message,
  type MessageClass,
} from '@clocktower/contracts';
import {
  accountName,
  Agenda,
  clusterNames,
  DRAIN_REASONS,
  JOB_NAMES,
  nodeNames,
  PARTITION_WEIGHTS,
  PARTITIONS,
  SeededRandom,
  userName,
  type SyntheticNode,
} from './synthetic-model.js';

export interface SyntheticHistoryOptions {
  /** Same seed, same history, event for event. */
  readonly seed?: number;
  /** Jobs submitted in all (array tasks count one each). */
  readonly jobs: number;
  /** Nodes per cluster (a quarter of them GPU nodes). */
  readonly nodes?: number;
  /** How many clusters, or their names. */
  readonly clusters?: number | readonly string[];
  readonly users?: number;
  readonly accounts?: number;
  readonly startAt?: Date | string;
  /** Mean time between two submissions, all clusters together. */
  readonly meanSubmitIntervalSeconds?: number;
  /** Job ids wrap past this, as Slurm's MaxJobId makes them: a reused id is a new stream. */
  readonly maxJobId?: number;
  /** The collector's poll interval: occurredAt is the poll after the change. */
  readonly pollSeconds?: number;
}

/** One event as a collector appends it: the envelope, its stream, its revision in the stream. */
export interface SyntheticEvent extends Message<Record<string, unknown>> {
  readonly stream: string;
  readonly revision: number;
}

/** As an event store hands it back (RecordedEvent's shape), for feeding a projection directly. */
export interface SyntheticRecordedEvent extends SyntheticEvent {
  readonly position: bigint;
  readonly recordedAt: string;
}

interface ClusterSim {
  readonly name: string;
  readonly stream: string;
  revision: number;
  readonly cpuNodes: SyntheticNode[];
  readonly gpuNodes: SyntheticNode[];
  nextJobId: number;
  readonly liveIds: Set<string>;
}

interface JobSim {
  readonly cluster: ClusterSim;
  readonly jobId: string;
  readonly stream: string;
  revision: number;
  state: string;
  reason: string | null;
  readonly partition: string;
  readonly cpus: number;
  readonly memoryMB: number;
  readonly gpus: number;
  readonly nodeCount: number;
  restarts: number;
  timeLimit: number;
  allocation: { node: SyntheticNode; cpus: number; memoryMB: number; gpus: number }[];
}

type Emit = (cls: MessageClass, stream: string, revision: number, data: object) => void;

const SOURCE = 'synthetic history (libs/testing)';

/**
 * A deterministic, realistic history of Slurm clusters as the collector records it: nodes added,
 * jobs submitted (some as array tasks), pending reasons changing (Priority → Resources), starts,
 * ends of every kind (completed, failed, timeout, cancelled, out of memory), requeues after a node
 * failure, time limit changes, node allocation and state changes, drains, and cluster outages.
 * Streams are named as the collector names them; occurredAt is the poll after each change and
 * never goes back; data is valid per the contracts' classes. Lazy: 1,000,000 events take a few
 * seconds and little memory. Ends at the last submission, with jobs still pending and running.
 */
export function* syntheticHistory(options: SyntheticHistoryOptions): Generator<SyntheticEvent> {
  const seed = options.seed ?? 1;
  const random = new SeededRandom(seed);
  const agenda = new Agenda();
  const pollMs = (options.pollSeconds ?? 30) * 1000;
  const startMs = new Date(options.startAt ?? '2024-01-01T00:00:00.000Z').getTime();
  const maxJobId = options.maxJobId ?? 99_999_999;
  const users = options.users ?? 50;
  const accounts = options.accounts ?? 10;
  const meanSubmitMs = (options.meanSubmitIntervalSeconds ?? 4) * 1000;
  const out: SyntheticEvent[] = [];
  const idPrefix = (seed >>> 0).toString(16).padStart(8, '0');
  let sequence = 0;
  let now = startMs;
  const iso = (ms: number): string => new Date(ms).toISOString();
  // Observed at the first poll after it happened.
  const observed = (ms: number): string => iso(Math.floor(ms / pollMs) * pollMs + pollMs);

  const emit: Emit = (cls, stream, revision, data) => {
    const eventId = `${idPrefix}-0000-5000-8000-${(sequence++).toString(16).padStart(12, '0')}`;
    const message = createMessage(cls, data, { eventId, occurredAt: observed(now) });
    out.push({ ...message, data: message.data as Record<string, unknown>, stream, revision });
  };

  const clusters = clusterNames(options.clusters ?? 1).map((name) =>
    addCluster(name, options.nodes ?? 16, emit),
  );

  let submitted = 0;
  const submitNext = (): void => {
    const cluster = random.pick(clusters);
    const array = random.chance(0.1) ? random.int(2, 5) : 1;
    const base = takeJobId(cluster, maxJobId);
    for (let task = 0; task < array && submitted < options.jobs; task++) {
      const jobId = task === 0 ? base : takeJobId(cluster, maxJobId);
      submitJob(cluster, jobId, array > 1 ? { arrayJobId: base, task } : null);
      submitted++;
    }
    if (submitted < options.jobs) agenda.at(now + random.exponential(meanSubmitMs), submitNext);
  };

  const submitJob = (
    cluster: ClusterSim,
    jobId: string,
    array: { arrayJobId: string; task: number } | null,
  ): void => {
    const partition = PARTITIONS[random.weighted(PARTITION_WEIGHTS)]!;
    const userIndex = Math.floor(users * random.next() ** 2);
    const gpu = partition === 'gpu';
    const cpus = random.pick([1, 2, 4, 8, 16, 32]);
    const job: JobSim = {
      cluster,
      jobId,
      stream: `job-${cluster.name}-${jobId}-${Math.floor(now / 1000)}`,
      revision: -1,
      state: 'PENDING',
      reason: random.pick(['Priority', 'Priority', 'Priority', 'Resources', 'Dependency']),
      partition,
      cpus,
      memoryMB: cpus * 4000,
      gpus: gpu ? random.int(1, 4) : 0,
      nodeCount: random.chance(0.05) ? 2 : 1,
      restarts: 0,
      timeLimit: random.pick(partition === 'debug' ? [10, 30] : [60, 240, 1440]),
      allocation: [],
    };
    const submitTime = iso(now);
    const record: JobRecord = {
      cluster: cluster.name,
      jobId,
      arrayJobId: array?.arrayJobId ?? null,
      arrayTaskId: array ? String(array.task) : null,
      name: `${random.pick(JOB_NAMES)}-${random.int(1, 99)}`,
      user: userName(userIndex),
      account: accountName(userIndex % accounts),
      partition,
      qos: 'normal',
      state: 'PENDING',
      stateReason: job.reason,
      exitCode: null,
      signal: null,
      submitTime,
      eligibleTime: submitTime,
      startTime: null,
      endTime: null,
      timeLimitMinutes: job.timeLimit,
      nodes: null,
      requested: { cpus, memoryMB: job.memoryMB, gpus: job.gpus, nodes: job.nodeCount },
      allocated: { cpus: null, memoryMB: null, gpus: null, nodes: null },
      workDir: `/home/${userName(userIndex)}/work`,
      stdout: `/home/${userName(userIndex)}/work/slurm-${jobId}.out`,
      stderr: `/home/${userName(userIndex)}/work/slurm-${jobId}.out`,
      comment: null,
      restartCount: 0,
    };
    jobEvent(job, JobSubmitted, { record, slurmTime: submitTime });
    schedulePending(job);
  };

  const jobEvent = (job: JobSim, cls: MessageClass, data: object): void => {
    job.revision++;
    const base = { cluster: job.cluster.name, jobId: job.jobId, observedIn: 'squeue' };
    emit(cls, job.stream, job.revision, { ...base, ...data });
  };

  const schedulePending = (job: JobSim): void => {
    const wait = random.exponential(job.partition === 'debug' ? 60_000 : 600_000);
    if (job.reason === 'Priority' && random.chance(0.5))
      agenda.at(now + wait * random.next(), () => {
        if (job.state !== 'PENDING' || job.reason === 'Resources') return;
        jobEvent(job, JobPendingReasonChanged, { from: job.reason, to: 'Resources' });
        job.reason = 'Resources';
      });
    if (random.chance(0.05))
      agenda.at(now + wait * random.next(), () => {
        if (job.state !== 'PENDING') return;
        const to = job.timeLimit * 2;
        jobEvent(job, JobResourcesChanged, {
          changes: { timeLimitMinutes: { from: job.timeLimit, to } },
        });
        job.timeLimit = to;
      });
    if (random.chance(0.04)) agenda.at(now + wait, () => endJob(job, 'CANCELLED', null));
    else agenda.at(now + wait, () => startJob(job));
  };

  const startJob = (job: JobSim): void => {
    const pool = job.partition === 'gpu' ? job.cluster.gpuNodes : job.cluster.cpuNodes;
    const chosen = new Set<SyntheticNode>();
    while (chosen.size < Math.min(job.nodeCount, pool.length)) chosen.add(random.pick(pool));
    job.allocation = [...chosen].map((node) => {
      const a = {
        node,
        cpus: Math.min(job.cpus, node.cpus - node.cpusAllocated),
        memoryMB: Math.min(job.memoryMB, node.memoryMB - node.memoryAllocatedMB),
        gpus: Math.min(job.gpus, node.gpus - node.gpusAllocated),
      };
      allocate(node, a.cpus, a.memoryMB, a.gpus);
      return a;
    });
    const startTime = iso(now);
    const nodes = compressHostList(job.allocation.map((a) => a.node.name));
    jobEvent(job, JobStateChanged, {
      from: job.state,
      to: 'RUNNING',
      reason: null,
      slurmTime: startTime,
    });
    job.state = 'RUNNING';
    job.reason = null;
    jobEvent(job, JobStarted, {
      nodes,
      allocated: {
        cpus: job.cpus * job.allocation.length,
        memoryMB: job.memoryMB * job.allocation.length,
        gpus: job.gpus * job.allocation.length,
        nodes: job.allocation.length,
      },
      slurmTime: startTime,
    });
    const limitMs = job.timeLimit * 60_000;
    const outcome = random.weighted([75, 10, 5, 4, 2, job.restarts === 0 ? 4 : 0]);
    const run = Math.min(random.exponential(limitMs / 3), limitMs);
    if (outcome === 5) agenda.at(now + run, () => requeueJob(job));
    else {
      const [state, exit] = (
        [
          ['COMPLETED', 0],
          ['FAILED', random.int(1, 127)],
          ['TIMEOUT', 0],
          ['CANCELLED', 0],
          ['OUT_OF_MEMORY', 0],
        ] as const
      )[outcome]!;
      agenda.at(now + (state === 'TIMEOUT' ? limitMs : run), () => endJob(job, state, exit));
    }
  };

  const release = (job: JobSim): void => {
    for (const a of job.allocation) allocate(a.node, -a.cpus, -a.memoryMB, -a.gpus);
    job.allocation = [];
  };

  const endJob = (job: JobSim, state: string, exitCode: number | null): void => {
    release(job);
    const endTime = iso(now);
    const reason = state === 'CANCELLED' ? null : state === 'FAILED' ? 'NonZeroExitCode' : null;
    jobEvent(job, JobStateChanged, { from: job.state, to: state, reason, slurmTime: endTime });
    jobEvent(job, JobEnded, {
      state,
      exitCode: state === 'CANCELLED' && job.state === 'PENDING' ? null : exitCode,
      signal: state === 'CANCELLED' || state === 'TIMEOUT' ? 15 : null,
      reason,
      slurmTime: endTime,
    });
    job.state = state;
    job.cluster.liveIds.delete(job.jobId);
  };

  /** A node failed under the job: Slurm puts it back in the queue, in the same stream. */
  const requeueJob = (job: JobSim): void => {
    release(job);
    job.restarts++;
    jobEvent(job, JobRequeued, {
      previousState: job.state,
      restartCount: job.restarts,
      slurmTime: iso(now),
    });
    jobEvent(job, JobStateChanged, {
      from: job.state,
      to: 'PENDING',
      reason: 'BeginTime',
      slurmTime: null,
    });
    job.state = 'PENDING';
    job.reason = 'BeginTime';
    schedulePending(job);
  };

  const allocate = (node: SyntheticNode, cpus: number, memoryMB: number, gpus: number): void => {
    if (cpus === 0 && memoryMB === 0 && gpus === 0) return;
    node.cpusAllocated += cpus;
    node.memoryAllocatedMB += memoryMB;
    node.gpusAllocated += gpus;
    const base = { cluster: node.cluster, node: node.name };
    emit(NodeAllocationChanged, node.stream, ++node.revision, {
      ...base,
      cpusAllocated: node.cpusAllocated,
      memoryAllocatedMB: node.memoryAllocatedMB,
      gpusAllocated: node.gpusAllocated,
    });
    const state =
      node.cpusAllocated === 0 ? 'IDLE' : node.cpusAllocated >= node.cpus ? 'ALLOCATED' : 'MIXED';
    if (state !== node.state) nodeState(node, state, node.flags);
  };

  const nodeState = (node: SyntheticNode, state: string, flags: string[]): void => {
    emit(NodeStateChanged, node.stream, ++node.revision, {
      cluster: node.cluster,
      node: node.name,
      fromState: node.state,
      fromFlags: node.flags,
      toState: state,
      toFlags: flags,
      reason: node.reason,
      reasonSetBy: node.reasonSetBy,
      reasonSince: node.reasonSince,
    });
    node.state = state;
    node.flags = flags;
  };

  const incident = (cluster: ClusterSim): void => {
    const node = random.pick([...cluster.cpuNodes, ...cluster.gpuNodes]);
    if (node.flags.length === 0) {
      node.reason = random.pick(DRAIN_REASONS);
      node.reasonSetBy = 'root';
      node.reasonSince = iso(now);
      nodeState(node, node.state, ['DRAIN']);
      agenda.at(now + random.exponential(2 * 3_600_000), () => {
        node.reason = null;
        node.reasonSetBy = null;
        node.reasonSince = null;
        nodeState(node, node.state, []);
      });
    }
    agenda.at(now + random.exponential(4 * 3_600_000), () => incident(cluster));
  };

  const outage = (cluster: ClusterSim): void => {
    emit(ClusterUnreachable, cluster.stream, ++cluster.revision, {
      cluster: cluster.name,
      source: SOURCE,
      reason: 'squeue: TIMEOUT: no answer within 30000 ms',
    });
    agenda.at(now + random.int(5, 20) * 60_000, () => {
      emit(ClusterReachable, cluster.stream, ++cluster.revision, {
        cluster: cluster.name,
        source: SOURCE,
        simulated: true,
      });
      agenda.at(now + random.exponential(12 * 3_600_000), () => outage(cluster));
    });
  };

  for (const cluster of clusters) {
    agenda.at(startMs + random.exponential(4 * 3_600_000), () => incident(cluster));
    agenda.at(startMs + random.exponential(12 * 3_600_000), () => outage(cluster));
  }
  if (options.jobs > 0) agenda.at(startMs + random.exponential(meanSubmitMs), submitNext);
  yield* out.splice(0);

  let lastSubmit = Number.POSITIVE_INFINITY;
  for (;;) {
    const item = agenda.pop();
    if (!item) break;
    if (submitted >= options.jobs && lastSubmit === Number.POSITIVE_INFINITY) lastSubmit = now;
    // The history ends at the last submission (observed at its poll), so some jobs still pend and run.
    if (item.at > lastSubmit) break;
    now = item.at;
    item.run();
    if (out.length > 0) yield* out.splice(0);
  }

  function addCluster(name: string, count: number, add: Emit): ClusterSim {
    const cluster: ClusterSim = {
      name,
      stream: `cluster-${name}`,
      revision: -1,
      cpuNodes: [],
      gpuNodes: [],
      nextJobId: 1000,
      liveIds: new Set(),
    };
    add(ClusterReachable, cluster.stream, ++cluster.revision, {
      cluster: name,
      source: SOURCE,
      simulated: true,
    });
    for (const { name: nodeName, gpu } of nodeNames(count)) {
      const node: SyntheticNode = {
        cluster: name,
        name: nodeName,
        stream: `node-${name}-${nodeName}`,
        revision: -1,
        cpus: 64,
        memoryMB: 256_000,
        gpus: gpu ? 4 : 0,
        gpuType: gpu ? 'a100' : null,
        partitions: gpu ? ['gpu'] : ['cpu', 'debug', 'long'],
        state: 'IDLE',
        flags: [],
        reason: null,
        reasonSetBy: null,
        reasonSince: null,
        cpusAllocated: 0,
        memoryAllocatedMB: 0,
        gpusAllocated: 0,
      };
      (gpu ? cluster.gpuNodes : cluster.cpuNodes).push(node);
      const { stream: _s, revision: _r, ...fields } = node;
      add(NodeAdded, node.stream, ++node.revision, {
        cluster: name,
        node: nodeName,
        record: { ...fields, features: gpu ? ['a100', 'avx512'] : ['avx512'] },
      });
    }
    return cluster;
  }

  function takeJobId(cluster: ClusterSim, max: number): string {
    // Slurm wraps at MaxJobId and skips ids still in use.
    for (let tries = 0; tries <= max - 1000; tries++) {
      const id = String(cluster.nextJobId);
      cluster.nextJobId = cluster.nextJobId >= max ? 1000 : cluster.nextJobId + 1;
      if (!cluster.liveIds.has(id)) {
        cluster.liveIds.add(id);
        return id;
      }
    }
    throw new RangeError(
      `maxJobId ${max}: every id from 1000 is held by a live job of ${cluster.name}; raise it`,
    );
  }
}

/** The history with store positions (from `firstPosition`) and recordedAt = occurredAt. */
export function* recordedHistory(
  options: SyntheticHistoryOptions,
  firstPosition = 1n,
): Generator<SyntheticRecordedEvent> {
  let position = firstPosition;
  for (const event of syntheticHistory(options))
    yield { ...event, position: position++, recordedAt: event.occurredAt };
}
