import { Controller, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ReadChanges, type ChangeFeed, type Message } from '@clocktower/contracts';
import { HandleRequest } from '@clocktower/messaging';
import type { ProjectionAccess } from './projection-access.js';

/** The change feed the gateway's SSE stream reads (queue group job-projection). */
export function changesController(projection: ProjectionAccess): Type {
  @Controller()
  class ChangesController {
    @HandleRequest(ReadChanges)
    read(@Payload() query: Message<ReadChanges>): ChangeFeed {
      return projection.current().readChanges(query.data);
    }
  }
  return ChangesController;
}
