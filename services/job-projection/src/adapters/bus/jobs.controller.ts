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
} from '@clocktower/contracts';
import { HandleRequest, RawJson } from '@clocktower/messaging';
import type { ProjectionAccess } from './projection-access.js';
import { scopeOf } from './query-scope.js';

const utf8 = new TextEncoder();

/** Job queries (queue group job-projection). Not found, or out of the caller's scope: null. */
export function jobsController(projection: ProjectionAccess): Type {
  @Controller()
  class JobsController {
    /**
     * A Page<JobView>, sent as the JSON text the read model joins (see JobListQuery.runJson); a
     * list asked again before the model moves is the bytes sent last time (PageCache).
     */
    @HandleRequest(ListJobs)
    list(@Payload() query: Message<ListJobs>): RawJson {
      const model = projection.current();
      return projection.jobPages.get(
        model,
        model.position(),
        JSON.stringify(query.data),
        // Its bytes only, not its text too: half the memory per kept page.
        () => new RawJson(utf8.encode(model.listJobsJson(query.data))),
      );
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
