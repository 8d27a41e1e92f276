/**
 * The read model's tables. One SQLite file holds every model and the checkpoint, so one
 * transaction moves them together.
 *
 * jobs: one row per job life (stream). The folded JobRecord is kept whole as JSON (what a query
 * returns, parsed once per row returned) beside the columns that filters and sorts read. Indexes
 * are few and composite, chosen for the lists a dashboard asks for most, newest first: per user,
 * per user and state, per cluster (+ partition), per state, and unfiltered, each ordered by submit
 * time with the state (and partition) inside the index, so a second filter on those is checked
 * without reading the row.
 * Sorting all jobs by start or end time, or by job id (jobs_key is numeric-aware), walks an index
 * too; other sorts of a large unfiltered list sort it (updated_at changes with every event: an
 * index on it would be rewritten per event).
 * A page is ordered by (sort value, id): where an index carries columns after the sort value, id
 * comes right after it, so that the index's own order is the page's and SQLite reads the first
 * page off the index instead of sorting each run of equal times (a temporary B-tree: 40 µs of a
 * user's page at 1,000,000 jobs, 23 µs without).
 * Every index costs each write that changes one of its columns, so columns that change often
 * (updated_at, position, start/end times) are in none of them.
 *
 * job_counts: jobs per (cluster, partition, user, account, state), kept as the jobs change. It
 * answers the users and clusters summaries and a list's total for the common filters without
 * counting rows (counting 100,000 index entries costs more than a page). job_totals is the same
 * per (cluster, partition, state) only: a few rows per cluster, for the totals of lists filtered by
 * cluster, partition and state alone, the dashboard's commonest (summing the thousands of
 * job_counts rows of a busy partition cost 90 µs of a 170 µs query at 1,000,000 jobs).
 *
 * history: every folded event, keyed by its global position, with the job's user, account,
 * partition and state after the change (the change feed filters on them). A job's or node's
 * history is found by (kind, ref): the row id of its jobs/nodes row, whose small integer keys put
 * many more index entries on a page than stream names would (a batch dirties fewer pages). kind
 * is 0 job, 1 node, 2 cluster; correlation_id and causation_id are null when equal to the
 * event's own id (the start of a chain, most collector events). snapshots: a job's or
 * node's view every SNAPSHOT_EVERY events of its stream, so rebuilding a view at a past position
 * folds at most that many events, however long the stream (a node sees an allocation change per
 * job).
 *
 * cluster_samples: a cluster's jobs per state, CPUs and GPUs (used, total) at the end of each
 * minute of event time in which they changed (cluster-sample-writer.ts), for statistics over a
 * period (GetClusterStats) without replaying history: a day is at most 1,440 rows per cluster.
 */
export const SCHEMA_VERSION = 2;

/** Sorts after any ISO time: active_to of a job not (yet) in a final state. */
export const OPEN_END = '9999-12-31T23:59:59.999Z';

/** Apart, for a bulk load's history written in a file of its own (history-loader.ts). */
export const HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS history (
  position       INTEGER PRIMARY KEY,
  stream         TEXT    NOT NULL,
  revision       INTEGER NOT NULL,
  kind           INTEGER NOT NULL,
  cluster        TEXT    NOT NULL,
  key            TEXT,
  ref            INTEGER,
  type           TEXT    NOT NULL,
  event_id       TEXT    NOT NULL,
  occurred_at    TEXT    NOT NULL,
  slurm_time     TEXT,
  correlation_id TEXT,
  causation_id   TEXT,
  data           TEXT    NOT NULL,
  user           TEXT,
  account        TEXT,
  partition      TEXT,
  state          TEXT
);
`;

/** Apart too: a bulk load's loader fills it (written only, never read, while folding). */
export const JOB_NODES_TABLE = `
CREATE TABLE IF NOT EXISTS job_nodes (
  node    TEXT    NOT NULL,
  cluster TEXT    NOT NULL,
  job     INTEGER NOT NULL,
  PRIMARY KEY (node, cluster, job)
) WITHOUT ROWID;
`;

/** Apart too: a bulk load's loader fills it (written only, never read, while folding). */
export const SNAPSHOTS_TABLE = `
CREATE TABLE IF NOT EXISTS snapshots (
  stream      TEXT    NOT NULL,
  position    INTEGER NOT NULL,
  occurred_at TEXT    NOT NULL,
  view        TEXT    NOT NULL,
  PRIMARY KEY (stream, position)
) WITHOUT ROWID;
`;

const JOB_TOTALS_TABLE = `
CREATE TABLE IF NOT EXISTS job_totals (
  cluster   TEXT    NOT NULL,
  partition TEXT    NOT NULL,
  state     TEXT    NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (cluster, partition, state)
) WITHOUT ROWID;
`;

export const CREATE_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS jobs (
  id            INTEGER PRIMARY KEY,
  stream        TEXT    NOT NULL,
  cluster       TEXT    NOT NULL,
  job_id        TEXT    NOT NULL,
  job_id_num    INTEGER,
  array_job_id  TEXT,
  user          TEXT    NOT NULL,
  account       TEXT,
  partition     TEXT,
  state         TEXT    NOT NULL,
  name_lc       TEXT    NOT NULL,
  submit_time   TEXT,
  eligible_time TEXT,
  start_time    TEXT,
  end_time      TEXT,
  updated_at    TEXT    NOT NULL,
  position      INTEGER NOT NULL,
  first_at      TEXT    NOT NULL,
  first_submit  TEXT,
  active_to     TEXT    NOT NULL,
  record        TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_stream ON jobs (stream);

${JOB_NODES_TABLE}
CREATE TABLE IF NOT EXISTS job_counts (
  cluster   TEXT    NOT NULL,
  partition TEXT    NOT NULL,
  user      TEXT    NOT NULL,
  account   TEXT    NOT NULL,
  state     TEXT    NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (cluster, partition, user, account, state)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS job_counts_user ON job_counts (user, state);

${JOB_TOTALS_TABLE}
CREATE TABLE IF NOT EXISTS nodes (
  id         INTEGER PRIMARY KEY,
  stream     TEXT    NOT NULL UNIQUE,
  cluster    TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  state      TEXT    NOT NULL,
  flags      TEXT    NOT NULL,
  partitions TEXT    NOT NULL,
  gpu_type   TEXT,
  removed    INTEGER NOT NULL,
  first_at   TEXT    NOT NULL,
  updated_at TEXT    NOT NULL,
  position   INTEGER NOT NULL,
  record     TEXT    NOT NULL,
  UNIQUE (cluster, name)
);

CREATE TABLE IF NOT EXISTS clusters (
  cluster TEXT PRIMARY KEY,
  state   TEXT NOT NULL
) WITHOUT ROWID;

${HISTORY_TABLE}${SNAPSHOTS_TABLE}
CREATE TABLE IF NOT EXISTS parked (
  position  INTEGER PRIMARY KEY,
  stream    TEXT NOT NULL,
  type      TEXT NOT NULL,
  reason    TEXT NOT NULL,
  event     TEXT NOT NULL,
  parked_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS cluster_samples (
  cluster    TEXT    NOT NULL,
  minute     TEXT    NOT NULL,
  jobs       TEXT    NOT NULL,
  cpus_used  INTEGER NOT NULL,
  cpus_total INTEGER NOT NULL,
  gpus_used  INTEGER NOT NULL,
  gpus_total INTEGER NOT NULL,
  PRIMARY KEY (cluster, minute)
) WITHOUT ROWID;
`;

/**
 * What brings a model written by an older build to SCHEMA_VERSION, by the version it has: a
 * migration derives what it adds from what the model holds, so no replay is needed.
 */
export const MIGRATIONS: Readonly<Record<number, string>> = {
  // 1 → 2: job_totals per (cluster, partition, state) instead of (cluster, state); id after the
  // submit time in the indexes that carry more columns (CREATE_QUERY_INDEXES makes them again).
  1: `
DROP INDEX IF EXISTS jobs_user;
DROP INDEX IF EXISTS jobs_cluster;
DROP INDEX IF EXISTS jobs_submit;
DROP TABLE job_totals;
${JOB_TOTALS_TABLE}
INSERT INTO job_totals (cluster, partition, state, n)
  SELECT cluster, partition, state, SUM(n) FROM job_counts GROUP BY cluster, partition, state;
`,
};

/**
 * A user's jobs in a state, newest first, with cluster and partition checked inside the index: what
 * JobListQuery seeks by name when a user's state filter matches few jobs (job-list.query.ts). A
 * model of an earlier build gains it when opened (CREATE_QUERY_INDEXES runs at every open).
 */
export const JOBS_USER_STATE = 'jobs_user_state';

/** The history's query indexes (in CREATE_QUERY_INDEXES, and built by a bulk load's loader). */
export const HISTORY_INDEXES = `
CREATE INDEX IF NOT EXISTS history_ref ON history (kind, ref, position);
CREATE INDEX IF NOT EXISTS history_cluster ON history (cluster, occurred_at);
`;

/**
 * The indexes that only queries read (the writers find rows by primary key, jobs_stream and the
 * small tables' keys). Apart from CREATE_SCHEMA so that a bulk load (a rebuild into a fresh file)
 * can create them once at its end: CREATE INDEX sorts the rows once, which is many times cheaper
 * than keeping twelve B-trees in order row by row while a million events are folded.
 */
export const CREATE_QUERY_INDEXES = `
CREATE INDEX IF NOT EXISTS jobs_key ON jobs (job_id_num, job_id, cluster);
CREATE INDEX IF NOT EXISTS jobs_user ON jobs (user, submit_time, id, state);
CREATE INDEX IF NOT EXISTS ${JOBS_USER_STATE} ON jobs (user, state, submit_time, id, cluster, partition);
CREATE INDEX IF NOT EXISTS jobs_cluster ON jobs (cluster, submit_time, id, partition, state);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state, submit_time);
CREATE INDEX IF NOT EXISTS jobs_submit ON jobs (submit_time, id, state);
CREATE INDEX IF NOT EXISTS jobs_active ON jobs (cluster, active_to, first_at);
CREATE INDEX IF NOT EXISTS jobs_start ON jobs (start_time);
CREATE INDEX IF NOT EXISTS jobs_end ON jobs (end_time);
CREATE INDEX IF NOT EXISTS jobs_array ON jobs (array_job_id) WHERE array_job_id IS NOT NULL;
${HISTORY_INDEXES}`;

/** A view is snapshotted after every this many events of its stream. */
export const SNAPSHOT_EVERY = 32;

/** history.kind */
export const HistoryKind = { job: 0, node: 1, cluster: 2 } as const;
export type HistoryKindName = keyof typeof HistoryKind;
export const HISTORY_KIND_NAMES: readonly HistoryKindName[] = ['job', 'node', 'cluster'];
