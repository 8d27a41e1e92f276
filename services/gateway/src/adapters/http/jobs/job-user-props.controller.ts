import { Body, Controller, Delete, Get, Param, Put, Query, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  MAX_JOB_USER_PROPS_LENGTH,
  ValidationFailedError,
  type JobUserProps,
} from '@clocktower/contracts';
import { CurrentPrincipal, CurrentScope } from '../../../auth/auth.decorators.js';
import type { Principal } from '../../../auth/principal.js';
import type { QueryScope } from '../../../auth/scope.js';
import { JobUserPropsTooLargeError } from '../../../domain/job-user-props.decider.js';
import { actorOf } from '../admin-users.controller.js';
import { found } from '../errors/not-found.js';
import { ApiNotFound, ApiProjectionRoute } from '../openapi/api-responses.decorator.js';
import { JobUserPropsService } from '../user-props/job-user-props.service.js';
import { DtoPipe } from '../validation/dto.pipe.js';
import { DeleteJobUserPropsParams } from './job-user-props.params.js';
import { JobPathParams } from './jobs.params.js';
import type { RequestWithHeaders } from '../request-headers.js';

const PROPS_REPLY = {
  schema: {
    type: 'object',
    required: ['cluster', 'jobId', 'props'],
    properties: {
      cluster: { type: 'string' },
      jobId: { type: 'string' },
      props: { type: 'object', additionalProperties: true },
    },
  },
};

function bodyProblem(message: string): ValidationFailedError {
  return new ValidationFailedError('request body', [{ path: 'body', problems: [message] }]);
}

/**
 * The caller's own props on a job (Clockwork's job-user props: notes such as an experiment
 * tracker's link), for the dashboard's job page. Private to each user: nobody, admins included,
 * reads or writes another's. The job must be visible to the caller (the REST API's rules).
 */
@ApiTags('jobs')
@ApiProjectionRoute()
@Controller('api/v1/jobs')
export class JobUserPropsController {
  constructor(private readonly props: JobUserPropsService) {}

  @Get(':cluster/:jobId/user-props')
  @ApiOperation({ summary: 'Your own props on a job ({} when none)' })
  @ApiOkResponse(PROPS_REPLY)
  @ApiNotFound('job')
  async get(
    @Param(DtoPipe) path: JobPathParams,
    @CurrentPrincipal() principal: Principal,
    @CurrentScope() scope: QueryScope,
  ) {
    const job = found(await this.props.visibleJob(path.cluster, path.jobId, scope), jobName(path));
    return this.reply(job, await this.props.propsOf(principal.userId, job.cluster, job.jobId));
  }

  @Put(':cluster/:jobId/user-props')
  @ApiOperation({
    summary: 'Set some of your props on a job',
    description:
      'The body is a JSON object of props to set: merged one key deep into your props (other ' +
      `keys stay). The props must stay within ${MAX_JOB_USER_PROPS_LENGTH} characters as Python's ` +
      "json.dumps writes them (Clockwork's limit): larger is a 400. Answers your props after.",
  })
  @ApiBody({ schema: { type: 'object', additionalProperties: true } })
  @ApiOkResponse(PROPS_REPLY)
  @ApiNotFound('job')
  async put(
    @Param(DtoPipe) path: JobPathParams,
    @Body() body: unknown,
    @Req() request: RequestWithHeaders,
    @CurrentPrincipal() principal: Principal,
    @CurrentScope() scope: QueryScope,
  ) {
    const type = request.headers['content-type'];
    if (typeof type !== 'string' || !/^application\/json\s*(;|$)/i.test(type))
      throw bodyProblem('send the props as a JSON object, with Content-Type: application/json');
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw bodyProblem('must be a JSON object of props (name → any JSON value)');
    const job = found(await this.props.visibleJob(path.cluster, path.jobId, scope), jobName(path));
    try {
      const props = await this.props.change(
        principal.userId,
        job,
        { type: 'SetJobUserProps', updates: body as Record<string, unknown> },
        actorOf(principal, request).correlationId,
      );
      return this.reply(job, props);
    } catch (error) {
      if (error instanceof JobUserPropsTooLargeError) throw bodyProblem(error.message);
      throw error;
    }
  }

  @Delete(':cluster/:jobId/user-props')
  @ApiOperation({ summary: 'Remove some (`key`, repeated) or all of your props on a job' })
  @ApiOkResponse(PROPS_REPLY)
  @ApiNotFound('job')
  async remove(
    @Param(DtoPipe) path: JobPathParams,
    @Query(DtoPipe) params: DeleteJobUserPropsParams,
    @Req() request: RequestWithHeaders,
    @CurrentPrincipal() principal: Principal,
    @CurrentScope() scope: QueryScope,
  ) {
    const job = found(await this.props.visibleJob(path.cluster, path.jobId, scope), jobName(path));
    const keys =
      params.key ?? Object.keys(await this.props.propsOf(principal.userId, job.cluster, job.jobId));
    const props = await this.props.change(
      principal.userId,
      job,
      { type: 'DeleteJobUserProps', keys },
      actorOf(principal, request).correlationId,
    );
    return this.reply(job, props);
  }

  private reply(job: { cluster: string; jobId: string }, props: JobUserProps) {
    return { cluster: job.cluster, jobId: job.jobId, props };
  }
}

function jobName(path: JobPathParams): string {
  return `job ${path.jobId} on cluster ${path.cluster}`;
}
