import type Database from 'better-sqlite3';
import type { JobRef, JobUserPropsView } from '@clocktower/contracts';
import { CREATE_JOB_USER_PROPS } from './job-user-props-writer.js';

interface Row {
  readonly props: string;
  readonly updated_at: string;
}

/** One user's props on some jobs: a primary-key lookup per job (a page is at most 1,000). */
export class JobUserPropsQuery {
  private readonly one;

  constructor(db: Database.Database) {
    // The writer creates it too; a model opened only to be read must not fail on an older file.
    db.exec(CREATE_JOB_USER_PROPS);
    this.one = db.prepare<[string, string, string], Row>(
      'SELECT props, updated_at FROM job_user_props WHERE user_id = ? AND cluster = ? AND job_id = ?',
    );
  }

  list(userId: string, jobs: readonly JobRef[]): JobUserPropsView[] {
    const items: JobUserPropsView[] = [];
    const seen = new Set<string>();
    for (const { cluster, jobId } of jobs) {
      const key = `${cluster}\u001f${jobId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const row = this.one.get(userId, cluster, jobId);
      if (row)
        items.push({
          cluster,
          jobId,
          props: JSON.parse(row.props) as Record<string, unknown>,
          updatedAt: row.updated_at,
        });
    }
    return items;
  }
}
