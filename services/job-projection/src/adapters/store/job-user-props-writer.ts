import type Database from 'better-sqlite3';
import {
  JobUserPropsDeleted,
  JobUserPropsSet,
  StreamCategory,
  categoryOf,
  evolveJobUserProps,
  jobUserPropsStream,
  type JobUserPropsEvent,
} from '@clocktower/contracts';
import type { RecordedEvent } from '@clocktower/event-store';
import { toIsoUtc } from '../../domain/iso-time.js';

/**
 * job_user_props: each user's own props on a job (Clockwork's job-user props), folded from the
 * `jobprops-…` streams; a set of props that becomes empty is removed. Keyed by user first: every
 * read is one user's props on a page of jobs. The table is created here (not in the shared
 * schema) so that a read model of an earlier build gains it when opened, without a rebuild: its
 * events were only skipped there, and a rebuild (or a fresh model) folds them.
 */
export const CREATE_JOB_USER_PROPS = `
CREATE TABLE IF NOT EXISTS job_user_props (
  user_id    TEXT    NOT NULL,
  cluster    TEXT    NOT NULL,
  job_id     TEXT    NOT NULL,
  props      TEXT    NOT NULL,
  updated_at TEXT    NOT NULL,
  position   INTEGER NOT NULL,
  PRIMARY KEY (user_id, cluster, job_id)
) WITHOUT ROWID;
`;

interface PropsRow {
  readonly props: string;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Folds the `jobprops-…` streams inside the batch's transaction (no cache: nothing to reset). */
export class JobUserPropsWriter {
  private readonly stmt;

  constructor(db: Database.Database) {
    db.exec(CREATE_JOB_USER_PROPS);
    this.stmt = {
      read: db.prepare<[string, string, string], PropsRow>(
        'SELECT props FROM job_user_props WHERE user_id = ? AND cluster = ? AND job_id = ?',
      ),
      upsert: db.prepare(
        `INSERT INTO job_user_props (user_id, cluster, job_id, props, updated_at, position)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET props = excluded.props, updated_at = excluded.updated_at,
           position = excluded.position`,
      ),
      remove: db.prepare(
        'DELETE FROM job_user_props WHERE user_id = ? AND cluster = ? AND job_id = ?',
      ),
    };
  }

  /**
   * Folds the event when it belongs to a `jobprops-…` stream. Returns why it cannot be folded (the
   * caller parks it), or null: folded, or not a props event at all.
   */
  apply(event: RecordedEvent, position: number): string | null {
    if (categoryOf(event.stream) !== StreamCategory.JobUserProps) return null;
    const data = event.data;
    const occurredAt = typeof event.occurredAt === 'string' ? toIsoUtc(event.occurredAt) : null;
    if (occurredAt === null) return `occurredAt: not a time (${JSON.stringify(event.occurredAt)})`;
    if (!isObject(data)) return 'data: not an object';
    const { cluster, jobId, userId } = data;
    if (!isText(cluster) || !isText(jobId) || !isText(userId))
      return 'cluster, jobId and userId must be non-empty strings';
    if (event.stream !== jobUserPropsStream(cluster, jobId, userId))
      return `the event is about ${cluster}/${jobId} for user ${userId}, not this stream's`;
    const step = this.step(event.type, data);
    if (typeof step === 'string') return step;
    const before = this.stmt.read.get(userId, cluster, jobId);
    const props = evolveJobUserProps(
      before ? (JSON.parse(before.props) as Record<string, unknown>) : {},
      step,
    );
    if (Object.keys(props).length === 0) this.stmt.remove.run(userId, cluster, jobId);
    else this.stmt.upsert.run(userId, cluster, jobId, JSON.stringify(props), occurredAt, position);
    return null;
  }

  private step(type: string, data: Record<string, unknown>): JobUserPropsEvent | string {
    if (type === JobUserPropsSet.type) {
      const updates = data['updates'];
      return isObject(updates) ? { type, data: { updates } } : 'updates: not an object';
    }
    if (type === JobUserPropsDeleted.type) {
      const keys = data['keys'];
      return Array.isArray(keys) && keys.every((k) => typeof k === 'string')
        ? { type, data: { keys: keys } }
        : 'keys: not a list of strings';
    }
    return `unknown job-user props event type ${JSON.stringify(type)}`;
  }
}
