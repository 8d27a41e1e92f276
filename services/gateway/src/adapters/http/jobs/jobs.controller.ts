import type { ServerResponse } from 'node:http';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  GetJob,
  GetJobHistory,
  GetJobPendingTime,
  ListJobs,
  type JobHistory,
  type JobPendingTime,
  type JobView,
} from '@clocktower/contracts';
import { CurrentScope } from '../../../auth/auth.decorators.js';
import type { QueryScope } from '../../../auth/scope.js';
import { found } from '../errors/not-found.js';
import { ApiNotFound, ApiOk, ApiProjectionRoute } from '../openapi/api-responses.decorator.js';
import { ApiSchema } from '../openapi/response.schemas.js';
import { ProjectionClient } from '../projection.client.js';
import { DtoPipe } from '../validation/dto.pipe.js';
import { sendJsonBody } from '../json-body.reply.js';
import { checkPaging, pageReplyJson } from '../validation/paging.params.js';
import { Problems } from '../validation/problems.js';
import { checkRanges, jobQueryOf } from './job-filter.params.js';
import { JobPathParams, ListJobsParams } from './jobs.params.js';

@ApiTags('jobs')
@ApiProjectionRoute()
@Controller('api/v1/jobs')
export class JobsController {
  constructor(private readonly projection: ProjectionClient) {}

  @Get()
  @ApiOperation({ summary: 'Jobs matching the filters, sorted, one page at a time' })
  @ApiOk(ApiSchema.JobPage)
  async list(
    @Query(DtoPipe) params: ListJobsParams,
    @CurrentScope() scope: QueryScope,
    @Res() response: ServerResponse,
  ): Promise<void> {
    const query = jobQueryOf(params);
    checkPaging(params, checkRanges(query, new Problems())).throwIfAny('query parameters');
    // The page passes through as the JSON text job-projection sent: the hot path of the API.
    const page = await this.projection.askJson(ListJobs, { ...query, ...scope });
    sendJsonBody(response, pageReplyJson(page, params));
  }

  @Get(':cluster/:jobId')
  @ApiOperation({ summary: "A job's current state (a reused job id: its latest life)" })
  @ApiOk(ApiSchema.JobView)
  @ApiNotFound('job')
  async get(@Param(DtoPipe) path: JobPathParams, @CurrentScope() scope: QueryScope) {
    const job: JobView | null = await this.projection.ask(GetJob, { ...path, ...scope });
    return found(job, jobName(path));
  }

  @Get(':cluster/:jobId/history')
  @ApiOperation({ summary: "A job's audit trail: every event, in order" })
  @ApiOk(ApiSchema.JobHistory)
  @ApiNotFound('job')
  async history(@Param(DtoPipe) path: JobPathParams, @CurrentScope() scope: QueryScope) {
    const history: JobHistory | null = await this.projection.ask(GetJobHistory, {
      ...path,
      ...scope,
    });
    return found(history, jobName(path));
  }

  @Get(':cluster/:jobId/pending-time')
  @ApiOperation({ summary: 'How long a job waited, per pending reason' })
  @ApiOk(ApiSchema.JobPendingTime)
  @ApiNotFound('job')
  async pendingTime(@Param(DtoPipe) path: JobPathParams, @CurrentScope() scope: QueryScope) {
    const pending: JobPendingTime | null = await this.projection.ask(GetJobPendingTime, {
      ...path,
      ...scope,
    });
    return found(pending, jobName(path));
  }
}

function jobName(path: JobPathParams): string {
  return `job ${path.jobId} on cluster ${path.cluster}`;
}
