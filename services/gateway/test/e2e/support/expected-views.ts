import {
  categoryOf,
  evolveJob,
  evolveNode,
  expandHostList,
  expandJobStates,
  FINAL_JOB_STATES,
  type JobRecord,
  type NodeRecord,
} from '@clocktower/contracts';
import type { EventStore, RecordedEvent } from '@clocktower/event-store';

/**
 * What the tests expect of the jobs, computed from the events in the store with the contracts'
 * fold — never from the API under test.
 */
export interface ExpectedJob {
  readonly stream: string;
  readonly record: JobRecord;
  /** The last event's occurredAt and position. */
  readonly updatedAt: string;
  readonly position: string;
  /** Every node the job ran on, over all its runs. */
  readonly nodesEver: ReadonlySet<string>;
}

export async function readEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

/** Folds every job stream, optionally only the events up to and including `until` (ISO time). */
export function foldJobs(events: readonly RecordedEvent[], until?: string): ExpectedJob[] {
  const jobs = new Map<string, ExpectedJob>();
  const cutoff = until === undefined ? Infinity : Date.parse(until);
  for (const event of events) {
    if (categoryOf(event.stream) !== 'job' || Date.parse(event.occurredAt) > cutoff) continue;
    const known = jobs.get(event.stream);
    const record = evolveJob(known?.record, event);
    if (!record) continue;
    const nodesEver = new Set(known?.nodesEver);
    if (record.nodes) for (const node of expandHostList(record.nodes)) nodesEver.add(node);
    jobs.set(event.stream, {
      stream: event.stream,
      record,
      updatedAt: event.occurredAt,
      position: event.position.toString(),
      nodesEver,
    });
  }
  return [...jobs.values()];
}

/** Every node of a cluster as it was after the events up to and including `until`. */
export function foldNodes(
  events: readonly RecordedEvent[],
  cluster: string,
  until?: string,
): NodeRecord[] {
  const nodes = new Map<string, NodeRecord>();
  const cutoff = until === undefined ? Infinity : Date.parse(until);
  for (const event of events) {
    if (categoryOf(event.stream) !== 'node' || Date.parse(event.occurredAt) > cutoff) continue;
    if (event.data['cluster'] !== cluster) continue;
    const record = evolveNode(nodes.get(event.stream), event);
    if (record) nodes.set(event.stream, record);
  }
  return [...nodes.values()];
}

/** The filters of GET /api/v1/jobs, as its query parameters (`name` is a substring; lists comma-separated). */
export type JobQuery = Readonly<Record<string, string>>;

const within = (value: string | null, from?: string, to?: string): boolean => {
  if (from === undefined && to === undefined) return true;
  if (value === null) return false;
  const t = Date.parse(value);
  return (from === undefined || t >= Date.parse(from)) && (to === undefined || t <= Date.parse(to));
};

/**
 * Whether a job passes the filters. The tests choose time bounds that never equal a job's time, so
 * whether a bound is inclusive does not matter here.
 */
export function matches(job: ExpectedJob, query: JobQuery): boolean {
  const r = job.record;
  const list = (key: string): string[] | undefined => query[key]?.split(',');
  const states = list('state');
  const ids = list('jobIds');
  return (
    (query['cluster'] === undefined || r.cluster === query['cluster']) &&
    (query['user'] === undefined || r.user === query['user']) &&
    (query['account'] === undefined || r.account === query['account']) &&
    (query['partition'] === undefined || r.partition === query['partition']) &&
    (states === undefined || expandJobStates(states).includes(r.state)) &&
    (query['node'] === undefined || job.nodesEver.has(query['node'])) &&
    (query['name'] === undefined || r.name.toLowerCase().includes(query['name'].toLowerCase())) &&
    (ids === undefined || ids.includes(r.jobId)) &&
    (query['arrayJobId'] === undefined || r.arrayJobId === query['arrayJobId']) &&
    within(r.submitTime, query['submittedFrom'], query['submittedTo']) &&
    within(r.startTime, query['startedFrom'], query['startedTo']) &&
    within(r.endTime, query['endedFrom'], query['endedTo'])
  );
}

export const isFinal = (state: string): boolean => FINAL_JOB_STATES.has(state);
