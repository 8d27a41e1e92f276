/*
 * Builds the jobs read model the gateway's jobs-api benchmark serves: the synthetic history of
 * JOBS jobs folded straight into SqliteReadModel.applyBatch (no event store, no subscription), then
 * picks the benchmark's queries from the data and checks that each fills a page. Run as a child
 * process by services/gateway/bench/jobs-api.bench.ts (see bench/fixtures/jobs-read-model-summary.ts
 * for why), not a benchmark itself:
 *
 *   node build-jobs-read-model.js <model file> <event store file> <jobs> <seed> <page> <summary file>
 */
import { statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { JOB_STATE_GROUPS, type ListJobs } from '@clocktower/contracts';
import { SqliteEventStore, type RecordedEvent } from '@clocktower/event-store';
import { SqliteReadModel, type ReadModel } from '@clocktower/job-projection';
import { recordedHistory } from '@clocktower/testing';
import type {
  JobsQuery,
  JobsReadModelSummary,
} from '../../../../bench/fixtures/jobs-read-model-summary.js';
import { log } from '../../../../bench/report.js';
import { HISTORY_SHAPE } from '../rebuild/fill-store.js';

const PROGRESS_EVERY_MS = 5_000;
/** Events per applyBatch. Any size builds the same model; fewer commits build it faster. */
const BATCH_SIZE = 50_000;

interface Counts {
  events: number;
  jobs: number;
  /** Time in applyBatch alone, without generating the history. */
  applyMs: number;
  /** Jobs submitted per `cluster\tpartition`. */
  readonly partitions: Map<string, number>;
}

function fold(model: ReadModel, jobs: number, seed: number): Counts & { lastPosition: bigint } {
  const counts: Counts = { events: 0, jobs: 0, applyMs: 0, partitions: new Map() };
  let batch: RecordedEvent[] = [];
  let lastPosition = 0n;
  const started = performance.now();
  let lastPrint = started;
  const apply = (): void => {
    const applyStarted = performance.now();
    const { parked } = model.applyBatch(batch);
    counts.applyMs += performance.now() - applyStarted;
    if (parked.length > 0)
      throw new Error(`the read model parked ${parked.length} events: ${parked[0]!.reason}`);
    counts.events += batch.length;
    lastPosition = batch.at(-1)!.position;
    batch = [];
    const now = performance.now();
    if (now - lastPrint >= PROGRESS_EVERY_MS) {
      lastPrint = now;
      const rate = counts.events / ((now - started) / 1_000);
      log(
        `    ${counts.jobs.toLocaleString('en-US')} / ${jobs.toLocaleString('en-US')} jobs, ${counts.events.toLocaleString('en-US')} events, ${Math.round(rate).toLocaleString('en-US')} events/s`,
      );
    }
  };
  for (const event of recordedHistory({ seed, jobs, ...HISTORY_SHAPE })) {
    if (event.type === 'JobSubmitted') {
      counts.jobs++;
      const record = (event.data as { record: { cluster: string; partition: string | null } })
        .record;
      const key = `${record.cluster}\t${record.partition ?? ''}`;
      counts.partitions.set(key, (counts.partitions.get(key) ?? 0) + 1);
    }
    batch.push(event);
    if (batch.length >= BATCH_SIZE) apply();
  }
  if (batch.length > 0) apply();
  return { ...counts, lastPosition };
}

/**
 * job-projection rightly refuses a read model whose checkpoint is past the store's head (it means
 * the store was replaced). The events were folded without a store, so the store gets one event at
 * the model's last position, which the projection never reads (it is at its checkpoint). Written
 * with SQL since no store API sets a position; the gateway then appends its users after it.
 */
async function placeHeadMarker(storeFile: string, position: bigint): Promise<void> {
  // Opening the store creates its schema.
  await SqliteEventStore.open({ file: storeFile }).close();
  const db = new Database(storeFile);
  const now = new Date().toISOString();
  db.prepare(
    `INSERT INTO events (position, stream, category, revision, event_id, type, schema_version,
       correlation_id, causation_id, occurred_at, recorded_at, data)
     VALUES (?, 'bench-head', 'bench', 0, 'bench-head-marker', 'BenchHeadMarker', 1, 'bench', 'bench', ?, ?, ?)`,
  ).run(position, now, now, JSON.stringify({ why: 'the read model was built without this store' }));
  db.close();
}

/** The user with the most running jobs over all clusters, asked as `user=…&state=running`. */
function userStateQuery(
  model: ReadModel,
  page: number,
): Omit<JobsQuery, 'total'> & { user: string } {
  const running = new Set(JOB_STATE_GROUPS['running']);
  const perUser = new Map<string, number>();
  for (const cluster of model.listClusters({})) {
    for (const counts of model.listClusterUsers(cluster.cluster, {})) {
      let n = 0;
      for (const [state, jobs] of Object.entries(counts.jobsByState))
        if (running.has(state)) n += jobs;
      perUser.set(counts.user, (perUser.get(counts.user) ?? 0) + n);
    }
  }
  const [user] = [...perUser].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (user === undefined) throw new Error('no user has running jobs');
  return {
    name: 'userState',
    description: `user=${user}&state=running (the user with the most running jobs)`,
    search: `user=${encodeURIComponent(user)}&state=running&limit=${page}`,
    limit: page,
    user,
  };
}

function checked(model: ReadModel, query: Omit<JobsQuery, 'total'>, filter: ListJobs): JobsQuery {
  const result = model.listJobs({ ...filter, limit: query.limit });
  if (result.items.length !== query.limit) {
    throw new Error(
      `${query.search} finds ${result.items.length} jobs, not a page of ${query.limit}`,
    );
  }
  return { ...query, total: result.total };
}

async function main(): Promise<void> {
  const [modelFile, storeFile, jobsArg, seedArg, pageArg, summaryFile] = process.argv.slice(2);
  if (!modelFile || !storeFile || !jobsArg || !seedArg || !pageArg || !summaryFile) {
    throw new Error(
      'usage: build-jobs-read-model <model file> <store file> <jobs> <seed> <page> <summary file>',
    );
  }
  const [jobs, seed, page] = [Number(jobsArg), Number(seedArg), Number(pageArg)];
  // Bulk load: no WAL and no syncs while folding (a crash would only lose this temp file); back
  // to the served pragmas before the checks below query it.
  const model = SqliteReadModel.open(modelFile, { bulkLoad: true });
  const started = performance.now();
  const built = fold(model, jobs, seed);
  await model.finishBulkLoad();
  const buildSeconds = (performance.now() - started) / 1_000;
  if (model.position() !== built.lastPosition) {
    throw new Error(
      `the model's checkpoint is ${model.position()}, its last event ${built.lastPosition}`,
    );
  }

  const { user, ...userQuery } = userStateQuery(model, page);
  const [busiest] = [...built.partitions].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (busiest === undefined) throw new Error('no job was submitted');
  const [cluster, partition] = busiest.split('\t') as [string, string];
  const queries = [
    checked(model, userQuery, { user, state: ['running'] }),
    checked(
      model,
      {
        name: 'clusterPartition',
        description: `cluster=${cluster}&partition=${partition} (its busiest partition)`,
        search: `cluster=${encodeURIComponent(cluster)}&partition=${encodeURIComponent(partition)}&limit=${page}`,
        limit: page,
      },
      { cluster, partition },
    ),
  ];
  const clusters = model.listClusters({}).length;
  model.close();
  await placeHeadMarker(storeFile, built.lastPosition);

  const summary: JobsReadModelSummary = {
    jobs: built.jobs,
    events: built.events,
    lastPosition: built.lastPosition.toString(),
    buildSeconds,
    eventsPerSecond: built.events / buildSeconds,
    applyEventsPerSecond: built.events / (built.applyMs / 1_000),
    modelBytes: statSync(modelFile).size,
    clusters,
    queries,
  };
  writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
}

await main();
