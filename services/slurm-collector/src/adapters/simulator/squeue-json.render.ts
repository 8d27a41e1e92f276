import { formatDependencies } from './dependencies.js';
import { compressHostList, formatRanges } from '@clocktower/contracts';
import {
  isEnded,
  type SimAllocation,
  type SimJob,
  SimJobState,
  type SimNode,
} from './simulated-job.js';
import {
  type ClusterView,
  gpuDetail,
  jobTres,
  jobTresPerNode,
  openapiMeta,
  slurmJson,
} from './slurm-json.format.js';

/**
 * `squeue --json` of Slurm 22.05 (openapi/v0.0.38): every job the controller holds, including the
 * ones that ended less than MinJobAge ago. Field order, names and types follow a lab capture
 * (test/simulator/fixtures/lab-squeue.json).
 */
export function renderSqueueJson(view: ClusterView): string {
  const jobs: SqueueJobJson[] = [];
  for (const job of view.jobs()) {
    if (isVisibleInQueue(job, view.now, view.minJobAgeSeconds))
      jobs.push(new SqueueJobJson(view, job));
  }
  return slurmJson({ meta: openapiMeta('ctld'), errors: [], jobs });
}

/**
 * One job of the output, turned into its record only while JSON.stringify writes it: the record
 * (a plain object of ~110 fields) is garbage a moment later, so rendering 100,000 jobs never holds
 * 100,000 records at once. `toJSON` lives on the prototype: no closure per job.
 */
class SqueueJobJson {
  constructor(
    private readonly view: ClusterView,
    private readonly job: SimJob,
  ) {}

  toJSON(): object {
    return squeueJobRecord(this.view, this.job);
  }
}

/** The controller forgets a job MinJobAge seconds after it ended (sacct still has it). */
export function isVisibleInQueue(job: SimJob, now: number, minJobAgeSeconds: number): boolean {
  return !isEnded(job) || now < job.endTime + minJobAgeSeconds;
}

const SHOW_FLAGS = ['SHOW_ALL', 'SHOW_DETAIL', 'SHOW_LOCAL'];

export function squeueJobRecord(view: ClusterView, job: SimJob): object {
  const user = view.users[job.user]!;
  const ran = job.allocations.length > 0;
  const pending = job.state === SimJobState.Pending;
  const running = job.state === SimJobState.Running;
  // A job cancelled before it started loses its cpu and task counts, as squeue prints it.
  const neverStarted = !pending && !ran;
  const nodeNames = ran ? job.allocations.map((a) => view.nodes[a.node]!.name) : [];
  const nodes = compressHostList(nodeNames);
  const future = pending && job.beginTime > view.now;
  const startTime = pending ? (future ? job.beginTime : 0) : job.startTime;
  const endTime = pending ? (future ? job.beginTime + job.timeLimit * 60 : 0) : job.endTime;
  const flags: string[] = [];
  if (job.cpusSet) flags.push('JOB_CPUS_SET');
  if (running) flags.push('JOB_WAS_RUNNING');
  if (job.memSet) flags.push('JOB_MEM_SET');
  return {
    account: job.account,
    accrue_time: job.accrueTime,
    admin_comment: '',
    array_job_id: job.arrayJobId,
    array_task_id: job.arrayTaskId,
    array_max_tasks: job.arrayMaxRunning,
    array_task_string: arrayTaskString(job),
    association_id: user.associationId,
    batch_features: '',
    batch_flag: true,
    batch_host: nodeNames[0] ?? '',
    flags,
    burst_buffer: '',
    burst_buffer_state: '',
    cluster: view.clusterName,
    cluster_features: '',
    command: job.command,
    comment: job.comment,
    container: '',
    contiguous: false,
    core_spec: null,
    thread_spec: null,
    cores_per_socket: null,
    billable_tres: ran ? job.cpus : null,
    cpus_per_task: null,
    cpu_frequency_minimum: null,
    cpu_frequency_maximum: null,
    cpu_frequency_governor: null,
    cpus_per_tres: '',
    deadline: 0,
    delay_boot: 0,
    dependency: formatDependencies(job.dependencies),
    derived_exit_code: 0,
    eligible_time: job.eligibleTime,
    end_time: endTime,
    excluded_nodes: '',
    exit_code: job.exitCode,
    features: job.constraint,
    federation_origin: '',
    federation_siblings_active: '',
    federation_siblings_viable: '',
    gres_detail:
      ran && job.gpusPerNode > 0
        ? job.allocations.map((a) => gpuDetail(view.nodes[a.node]!.gpuType, a.gpus))
        : [],
    group_id: user.gid,
    group_name: user.group,
    job_id: job.jobId,
    // Only a job that holds (or held) nodes has job_resources; JSON.stringify drops an undefined.
    job_resources: ran ? jobResources(view.nodes, job.allocations, nodes) : undefined,
    job_state: job.state,
    last_sched_evaluation: job.lastSchedEval,
    licenses: '',
    max_cpus: 0,
    max_nodes: 0,
    mcs_label: '',
    memory_per_tres: '',
    name: job.name,
    nodes,
    nice: null,
    tasks_per_core: null,
    tasks_per_node: 0,
    tasks_per_socket: null,
    tasks_per_board: 0,
    cpus: neverStarted ? null : job.cpus,
    node_count: job.nodeCount,
    tasks: neverStarted ? null : job.nodeCount,
    het_job_id: 0,
    het_job_id_set: '',
    het_job_offset: 0,
    partition: job.partition,
    prefer: '',
    memory_per_node: job.memoryPerCpu ? null : job.memoryMB,
    memory_per_cpu: job.memoryPerCpu ? job.memoryMB : null,
    minimum_cpus_per_node: Math.ceil(job.cpus / job.nodeCount),
    minimum_tmp_disk_per_node: 0,
    preempt_time: 0,
    pre_sus_time: 0,
    priority: job.priority,
    profile: null,
    qos: job.qos,
    reboot: false,
    required_nodes: '',
    requeue: job.requeue,
    resize_time: 0,
    restart_cnt: job.restartCnt,
    resv_name: '',
    shared: null,
    show_flags: SHOW_FLAGS,
    sockets_per_board: 0,
    sockets_per_node: null,
    start_time: startTime,
    state_description: job.description,
    state_reason: job.reason,
    standard_error: job.stderr,
    standard_input: '/dev/null',
    standard_output: job.stdout,
    submit_time: job.submitTime,
    suspend_time: 0,
    system_comment: '',
    time_limit: job.timeLimit,
    time_minimum: 0,
    threads_per_core: null,
    tres_bind: '',
    tres_freq: '',
    tres_per_job: '',
    tres_per_node: jobTresPerNode(job),
    tres_per_socket: '',
    tres_per_task: '',
    tres_req_str: jobTres(job),
    tres_alloc_str: ran ? jobTres(job) : '',
    user_id: user.uid,
    user_name: user.name,
    wckey: '',
    current_working_directory: job.workDir,
  };
}

/** `2-4`, `3-6%2`: the tasks an array's meta record still holds, while any are pending. */
export function arrayTaskString(job: SimJob): string {
  if (job.pendingTasks === null || job.pendingTasks.length === 0) return '';
  const ranges = formatRanges(job.pendingTasks);
  return job.arrayMaxRunning > 0 ? `${ranges}%${job.arrayMaxRunning}` : ranges;
}

function jobResources(
  nodes: readonly SimNode[],
  allocations: readonly SimAllocation[],
  hostlist: string,
): object {
  let cores = 0;
  const allocatedNodes = allocations.map((a) => {
    const node = nodes[a.node]!;
    cores += a.cores.length;
    const sockets: Record<string, { cores: Record<string, string> }> = {};
    for (const core of a.cores) {
      const socket = String(Math.floor(core / node.coresPerSocket));
      (sockets[socket] ??= { cores: {} }).cores[String(core % node.coresPerSocket)] = 'allocated';
    }
    return {
      sockets,
      nodename: node.name,
      cpus_used: 0,
      memory_used: 0,
      memory_allocated: a.memoryMB,
    };
  });
  return {
    nodes: hostlist,
    allocated_cores: cores,
    allocated_hosts: allocations.length,
    allocated_nodes: allocatedNodes,
  };
}
