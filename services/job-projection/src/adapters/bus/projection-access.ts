import type { ProjectionStatus } from '@clocktower/contracts';
import type { RawJson } from '@clocktower/messaging';
import type { ReadModel } from '../store/read-model.port.js';
import type { PageCache } from './page-cache.js';

/**
 * What the bus controllers need from the running projection. `current()` is asked once per query
 * and used synchronously: a rebuild's switch-over replaces the model between two queries, never
 * during one, so an answer comes wholly from the old model or wholly from the new.
 */
export interface ProjectionAccess {
  current(): ReadModel;
  /** Job list answers kept while the current model does not move. */
  readonly jobPages: PageCache<RawJson>;
  /** The time a query is answered at (pending time of a job still pending). */
  now(): Date;
  recordPoll(cluster: string, ok: boolean, polledAt: string): void;
  listProjections(): Promise<ProjectionStatus[]>;
  /** Throws UnknownProjectionError (code UNKNOWN_PROJECTION) for a name it does not keep. */
  rebuild(name: string): Promise<{ readonly started: boolean; readonly status: ProjectionStatus }>;
}
