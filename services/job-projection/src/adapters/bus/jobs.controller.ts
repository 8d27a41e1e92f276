import { Controller, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  GetJob,
  GetJobHistory,
  GetJobPendingTime,
  ListJobs,
  type JobHistory,
  type JobPendingTime,
  type JobView,
  type Message,
  type Page,
} from '@clocktower/contracts';
import { HandleRequest } from '@clocktower/messaging';
import type { ProjectionAccess } from './projection-access.js';
import { scopeOf } from './query-scope.js';

/** Job queries (queue group job-projection). Not found, or out of the caller's scope: null. */
export function jobsController(projection: ProjectionAccess): Type {
  @Controller()
  class JobsController {
    @HandleRequest(ListJobs)
    list(@Payload() query: Message<ListJobs>): Page<JobView> {
      return projection.current().listJobs(query.data);
    }

    @HandleRequest(GetJob)
    get(@Payload() { data }: Message<GetJob>): JobView | null {
      return projection.current().getJob(data.cluster, data.jobId, scopeOf(data));
    }

    @HandleRequest(GetJobHistory)
    history(@Payload() { data }: Message<GetJobHistory>): JobHistory | null {
      return projection.current().getJobHistory(data.cluster, data.jobId, scopeOf(data));
    }

    @HandleRequest(GetJobPendingTime)
    pendingTime(@Payload() { data }: Message<GetJobPendingTime>): JobPendingTime | null {
      return projection
        .current()
        .getJobPendingTime(data.cluster, data.jobId, scopeOf(data), projection.now());
    }
  }
  return JobsController;
}
