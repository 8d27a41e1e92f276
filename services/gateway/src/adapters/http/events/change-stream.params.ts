import { IsOptional, Matches } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { OpenApiFromValidation } from '../openapi/openapi-from-validation.decorator.js';
import { JobFilterParams } from '../jobs/job-filter.params.js';

export const POSITION = /^[0-9]{1,20}$/;

/** `GET /events`: the `/jobs` filters, and where to start. */
@OpenApiFromValidation()
export class ChangeStreamParams extends JobFilterParams {
  @ApiPropertyOptional({
    description:
      'Start after this position (an event `id`), as the `Last-Event-ID` header does, which wins ' +
      'when both are sent. `0`: from the beginning of history. Absent: from now.',
  })
  @IsOptional()
  @Matches(POSITION, { message: 'lastEventId must be an event id (a decimal position)' })
  lastEventId?: string;
}
