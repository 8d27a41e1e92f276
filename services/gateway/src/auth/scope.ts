import { UserRole } from '@clocktower/contracts';
import type { Principal } from './principal.js';

/** What a query may return to a caller, in the projection's terms (its `onlyUser`/`onlyClusters`). */
export interface QueryScope {
  readonly onlyUser?: string;
  readonly onlyClusters?: string[];
}

/**
 * The access rules: admins see every job; a user sees their own Slurm user's jobs, unless the
 * site makes every job visible to everyone (`CLOCKTOWER_ALL_JOBS_VISIBLE`); anyone limited to some
 * clusters sees only those.
 */
export function scopeOf(principal: Principal, allJobsVisible: boolean): QueryScope {
  const restrictUser = principal.role !== UserRole.Admin && !allJobsVisible;
  return {
    ...(restrictUser ? { onlyUser: principal.slurmUser } : {}),
    ...(principal.clusters ? { onlyClusters: [...principal.clusters] } : {}),
  };
}
