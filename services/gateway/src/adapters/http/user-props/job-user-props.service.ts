import { Inject, Injectable } from '@nestjs/common';
import {
  GetJob,
  ListJobUserProps,
  MAX_PAGE_LIMIT,
  type JobRef,
  type JobUserProps,
  type JobView,
} from '@clocktower/contracts';
import type { QueryScope } from '../../../auth/scope.js';
import type { JobUserPropsCommand } from '../../../domain/job-user-props.decider.js';
import { JobUserPropsStore } from '../../store/job-user-props.store.js';
import { ProjectionAdvances } from '../events/projection-advances.js';
import { ProjectionClient } from '../projection.client.js';

/** How long a change waits for job-projection to fold it, so the caller's next read shows it. */
export const PROPS_VISIBLE_TIMEOUT_MS = 3_000;
/** Between two looks at the projection's position when no ProjectionAdvanced arrives. */
const POLL_MS = 250;

export const jobKey = (cluster: string, jobId: string): string => `${cluster}\u001f${jobId}`;

/**
 * Users' own props on jobs, for the Clockwork API and the REST API alike: changes are appended to
 * the job's props stream for that user (JobUserPropsStore), reads come from job-projection. A
 * change returns once the projection has folded it (or after PROPS_VISIBLE_TIMEOUT_MS: the change
 * is stored either way), so reading right after writing shows what was written.
 */
@Injectable()
export class JobUserPropsService {
  constructor(
    private readonly projection: ProjectionClient,
    private readonly advances: ProjectionAdvances,
    @Inject(JobUserPropsStore) private readonly store: JobUserPropsStore,
  ) {}

  /** The job's latest life, when the caller may see it. */
  visibleJob(cluster: string, jobId: string, scope: QueryScope): Promise<JobView | null> {
    return this.projection.ask(GetJob, { cluster, jobId, ...scope });
  }

  async propsOf(userId: string, cluster: string, jobId: string): Promise<JobUserProps> {
    return (await this.propsOfJobs(userId, [{ cluster, jobId }])).get(jobKey(cluster, jobId)) ?? {};
  }

  /** The user's props on each of the jobs that has some, by jobKey. */
  async propsOfJobs(userId: string, jobs: readonly JobRef[]): Promise<Map<string, JobUserProps>> {
    const out = new Map<string, JobUserProps>();
    for (let i = 0; i < jobs.length; i += MAX_PAGE_LIMIT) {
      const chunk = jobs
        .slice(i, i + MAX_PAGE_LIMIT)
        .map((j) => ({ cluster: j.cluster, jobId: j.jobId }));
      const reply = await this.projection.ask(ListJobUserProps, { userId, jobs: chunk });
      for (const item of reply.items) out.set(jobKey(item.cluster, item.jobId), item.props);
    }
    return out;
  }

  /** Throws JobUserPropsTooLargeError past Clockwork's limit (nothing is then stored). */
  async change(
    userId: string,
    job: JobRef,
    command: JobUserPropsCommand,
    correlationId: string,
  ): Promise<JobUserProps> {
    const ref = { cluster: job.cluster, jobId: job.jobId, userId };
    const { props, position } = await this.store.change(ref, command, correlationId);
    if (position !== null) await this.folded(userId, job, position);
    return props;
  }

  private async folded(userId: string, job: JobRef, position: bigint): Promise<void> {
    const deadline = Date.now() + PROPS_VISIBLE_TIMEOUT_MS;
    const abort = new AbortController();
    try {
      while (Date.now() < deadline) {
        const reply = await this.projection.ask(ListJobUserProps, {
          userId,
          jobs: [{ cluster: job.cluster, jobId: job.jobId }],
        });
        if (BigInt(reply.projectedPosition) >= position) return;
        await this.advances.next(Math.min(POLL_MS, deadline - Date.now()), abort.signal);
      }
    } finally {
      abort.abort();
    }
  }
}
