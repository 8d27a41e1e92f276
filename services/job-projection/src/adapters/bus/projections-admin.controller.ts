import { Controller, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ListProjections,
  RebuildProjection,
  type Message,
  type ProjectionStatus,
} from '@clocktower/contracts';
import { HandleRequest } from '@clocktower/messaging';
import type { ProjectionAccess } from './projection-access.js';

/**
 * Administration of the read models: their status and rebuild. A rebuild request reaches one
 * replica (queue group); an unknown name fails with code UNKNOWN_PROJECTION.
 */
export function projectionsAdminController(projection: ProjectionAccess): Type {
  @Controller()
  class ProjectionsAdminController {
    @HandleRequest(ListProjections)
    list(): Promise<ProjectionStatus[]> {
      return projection.listProjections();
    }

    @HandleRequest(RebuildProjection)
    rebuild(
      @Payload() { data }: Message<RebuildProjection>,
    ): Promise<{ started: boolean; status: ProjectionStatus }> {
      return projection.rebuild(data.name);
    }
  }
  return ProjectionsAdminController;
}
