import { Controller, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ListJobUserProps, type JobUserPropsList, type Message } from '@clocktower/contracts';
import { HandleRequest } from '@clocktower/messaging';
import type { ProjectionAccess } from './projection-access.js';

/**
 * Users' own props on jobs (queue group job-projection). No scope filter: props are private to
 * the userId asked for, which the gateway sets to the caller's own after checking the jobs are
 * visible to them.
 */
export function jobUserPropsController(projection: ProjectionAccess): Type {
  @Controller()
  class JobUserPropsController {
    @HandleRequest(ListJobUserProps)
    list(@Payload() { data }: Message<ListJobUserProps>): JobUserPropsList {
      return projection.current().listJobUserProps(data.userId, data.jobs);
    }
  }
  return JobUserPropsController;
}
