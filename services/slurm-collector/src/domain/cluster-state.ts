import {
  ClusterReachable,
  ClusterUnreachable,
  FINAL_JOB_STATES,
  JobLeftController,
  streamName,
  type JobRecord,
  type NodeRecord,
} from '@clocktower/contracts';
import { draft, type StreamDecision } from './event-draft.js';
import { decideJob, withJobKey, type KnownJob, type ObservedIn } from './job.diff.js';
import { evolveJob } from '@clocktower/contracts';
import { evolveNode } from '@clocktower/contracts';
import { decideNode, decideNodeRemoved, type KnownNode } from './node.diff.js';

/**
 * What the collector knows of one cluster: the folded state of every job still of interest and
 * every node, with each stream's revision. Rebuilt from the store at start, so a restart resumes
 * exactly where the store says it stopped.
 */
export class ClusterState {
  readonly jobs = new Map<string, KnownJob>();
  readonly nodes = new Map<string, KnownNode>();
  /** undefined until the first poll after start; then whether the last poll succeeded. */
  reachable: boolean | undefined = undefined;
  clusterRevision = -1;

  constructor(readonly cluster: string) {}

  get clusterStream(): string {
    return streamName('cluster', this.cluster);
  }

  /** Folds events read back from the store (or just appended) into the state. */
  apply(
    stream: string,
    revision: number,
    event: { type: string; data: Record<string, unknown> },
  ): void {
    if (stream.startsWith('job-')) {
      const jobId = event.data['jobId'] as string;
      const known = this.jobs.get(jobId);
      const base = known && known.stream === stream ? known.record : undefined;
      const record = evolveJob(base, event);
      // A job recorded as gone stays known, so that if the controller shows it again its
      // history goes on in the same stream.
      if (record)
        this.jobs.set(jobId, {
          stream,
          revision,
          record,
          left: event.type === 'JobLeftController',
        });
    } else if (stream.startsWith('node-')) {
      const name = event.data['node'] as string;
      if (event.type === 'NodeRemoved') {
        this.nodes.delete(name);
        return;
      }
      const record = evolveNode(this.nodes.get(name)?.record, event);
      if (record) this.nodes.set(name, { stream, revision, record });
    } else if (stream === this.clusterStream) {
      this.clusterRevision = revision;
      this.reachable = event.type === 'ClusterReachable';
    }
  }

  /** Folds the events of a decision that the store accepted. */
  applyDecision(decision: StreamDecision): void {
    decision.events.forEach((event, i) =>
      this.apply(decision.stream, decision.revision + 1 + i, {
        type: event.cls.type,
        data: event.data as Record<string, unknown>,
      }),
    );
  }
}

export interface QueueDecision {
  readonly decisions: StreamDecision[];
  /** Jobs not yet ended that the queue no longer shows: the accounting sweep says how they ended. */
  readonly vanished: string[];
}

/** A squeue snapshot against what is known: one decision per job that changed. */
export function decideQueue(
  state: ClusterState,
  records: readonly JobRecord[],
  observedIn: ObservedIn = 'squeue',
): QueueDecision {
  const decisions: StreamDecision[] = [];
  const seen = new Set<string>();
  for (const shown of records) {
    const record = withJobKey(shown);
    seen.add(record.jobId);
    const decision = decideJob(state.jobs.get(record.jobId), record, observedIn);
    if (decision) decisions.push(decision);
  }
  const vanished: string[] = [];
  for (const [jobId, known] of state.jobs) {
    if (!seen.has(jobId) && !known.left && !FINAL_JOB_STATES.has(known.record.state))
      vanished.push(jobId);
  }
  return { decisions, vanished };
}

/**
 * An accounting (sacct) sweep: its records correct and complete what the queue showed (a job that
 * started and ended between polls, an exit code); a vanished job that accounting does not know
 * either left the controller with no record.
 */
export function decideAccounting(
  state: ClusterState,
  records: readonly JobRecord[],
  vanished: readonly string[],
): StreamDecision[] {
  const decisions: StreamDecision[] = [];
  const inAccounting = new Set<string>();
  for (const shown of records) {
    const record = withJobKey(shown);
    inAccounting.add(record.jobId);
    const decision = decideJob(state.jobs.get(record.jobId), record, 'sacct');
    if (decision) decisions.push(decision);
  }
  for (const jobId of vanished) {
    const known = state.jobs.get(jobId);
    if (!known || inAccounting.has(jobId)) continue;
    decisions.push({
      stream: known.stream,
      revision: known.revision,
      events: [
        draft(JobLeftController, {
          cluster: state.cluster,
          jobId,
          observedIn: 'sacct',
          lastState: known.record.state,
        }),
      ],
    });
  }
  return decisions;
}

/** An sinfo snapshot against what is known: added, changed and removed nodes. */
export function decideNodes(state: ClusterState, records: readonly NodeRecord[]): StreamDecision[] {
  const decisions: StreamDecision[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    seen.add(record.name);
    const decision = decideNode(state.nodes.get(record.name), record);
    if (decision) decisions.push(decision);
  }
  for (const [name, known] of state.nodes) {
    if (!seen.has(name)) decisions.push(decideNodeRemoved(known));
  }
  return decisions;
}

/** Reachability is recorded only when it changes, not at every poll. */
export function decideReachability(
  state: ClusterState,
  outcome:
    | { reachable: true; source: string; simulated: boolean }
    | { reachable: false; source: string; reason: string },
): StreamDecision | undefined {
  if (state.reachable === outcome.reachable) return undefined;
  const events = outcome.reachable
    ? [
        draft(ClusterReachable, {
          cluster: state.cluster,
          source: outcome.source,
          simulated: outcome.simulated,
        }),
      ]
    : [
        draft(ClusterUnreachable, {
          cluster: state.cluster,
          source: outcome.source,
          reason: outcome.reason,
        }),
      ];
  return { stream: state.clusterStream, revision: state.clusterRevision, events };
}

/** Ended jobs the queue stopped showing are no longer of interest once accounting has covered them. */
export function forgetSettledJobs(
  state: ClusterState,
  queueJobIds: ReadonlySet<string>,
  settledBefore: string,
): void {
  for (const [jobId, known] of state.jobs) {
    const { state: jobState, endTime } = known.record;
    if (
      !queueJobIds.has(jobId) &&
      FINAL_JOB_STATES.has(jobState) &&
      endTime !== null &&
      endTime < settledBefore
    )
      state.jobs.delete(jobId);
  }
}
