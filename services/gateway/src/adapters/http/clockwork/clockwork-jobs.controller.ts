import {
  Body,
  Controller,
  Get,
  Header,
  Put,
  Query,
  Req,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ListJobs, MAX_PAGE_LIMIT, type JobView, type Page } from '@clocktower/contracts';
import { CurrentPrincipal, CurrentScope, Public } from '../../../auth/auth.decorators.js';
import type { Principal } from '../../../auth/principal.js';
import type { QueryScope } from '../../../auth/scope.js';
import { UserDirectoryFollower } from '../../../auth/user-directory.follower.js';
import { actorOf } from '../admin-users.controller.js';
import { ProjectionClient } from '../projection.client.js';
import { jobKey, JobUserPropsService } from '../user-props/job-user-props.service.js';
import { ClockworkAuthGuard } from './clockwork-auth.guard.js';
import { clockworkJob, type ClockworkJob } from './clockwork-documents.js';
import { ClockworkExceptionFilter } from './clockwork-exception.filter.js';
import { ownerEmails, slurmLoginOf } from './clockwork-owners.js';
import { ClockworkReply, JOB_NOT_FOUND } from './clockwork-reply.js';
import {
  parseJobList,
  parseJobRef,
  parseKeys,
  parsePropsRef,
  parseUpdatePairs,
  parseUpdates,
  type ClockworkJobRef,
  type RawParams,
} from './clockwork.params.js';
import type { RequestWithHeaders } from '../request-headers.js';

/** Flask's `request.is_json`: `application/json` or `application/…+json`. */
function isJson(request: RequestWithHeaders): boolean {
  const type = request.headers['content-type'];
  return typeof type === 'string' && /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type);
}

/**
 * The requested clusters within those the caller may see (Clockwork drops the others); undefined:
 * no restriction; an empty list: nothing to see.
 */
export function clustersWithin(
  requested: readonly string[],
  scope: QueryScope,
): string[] | undefined {
  if (requested.length === 0) return scope.onlyClusters;
  return scope.onlyClusters
    ? requested.filter((c) => scope.onlyClusters!.includes(c))
    : [...requested];
}

/**
 * Clockwork's job routes (`/api/v1/clusters/jobs/…`), for its Python client `clockwork_tools`:
 * HTTP Basic with email and API key, Clockwork's parameters, documents and error strings. Not in
 * the OpenAPI document: Clockwork documents its API; the gateway README says what differs.
 */
@ApiExcludeController()
@Public()
@UseGuards(ClockworkAuthGuard)
@UseFilters(ClockworkExceptionFilter)
@Controller('api/v1/clusters/jobs')
export class ClockworkJobsController {
  constructor(
    private readonly projection: ProjectionClient,
    private readonly props: JobUserPropsService,
    private readonly follower: UserDirectoryFollower,
  ) {}

  @Get('list')
  async list(
    @Query() params: RawParams,
    @CurrentPrincipal() principal: Principal,
    @CurrentScope() scope: QueryScope,
  ): Promise<ClockworkJob[] | { nbr_total_jobs: number; jobs: ClockworkJob[] }> {
    const request = parseJobList(params);
    const answer = (jobs: ClockworkJob[], total: number) =>
      request.wantCount ? { nbr_total_jobs: total, jobs } : jobs;
    const onlyClusters = clustersWithin(request.clusters, scope);
    const user =
      request.username === undefined
        ? undefined
        : slurmLoginOf(request.username, (email) => this.follower.directory.userByEmail(email));
    if (onlyClusters?.length === 0 || (request.username !== undefined && user === undefined))
      return answer([], 0);
    const query: ListJobs = {
      ...request.filter,
      ...scope,
      ...(onlyClusters ? { onlyClusters } : {}),
      ...(user !== undefined ? { user } : {}),
      sort: request.sort.field,
      order: request.sort.order,
    };
    let jobs: JobView[];
    let total: number;
    if (request.page) {
      const page = await this.projection.ask(ListJobs, {
        ...query,
        limit: request.page.size,
        page: request.page.num,
      });
      jobs = [...page.items];
      total = page.total;
    } else {
      jobs = await this.allJobs(query);
      if (request.relativeTimeSeconds !== undefined) {
        const since = Date.now() - request.relativeTimeSeconds * 1000;
        jobs = jobs.filter((j) => j.endTime === null || Date.parse(j.endTime) > since);
      }
      total = jobs.length;
    }
    return answer(await this.documents(jobs, principal), total);
  }

  @Get('one')
  async one(
    @Query() params: RawParams,
    @CurrentPrincipal() principal: Principal,
    @CurrentScope() scope: QueryScope,
  ): Promise<ClockworkJob | Record<string, never>> {
    const job = await this.findJob(parseJobRef(params), scope);
    return job ? (await this.documents([job], principal))[0]! : {};
  }

  @Get('user_props/get')
  async getUserProps(@Query() params: RawParams, @CurrentPrincipal() principal: Principal) {
    const { cluster, jobId } = parsePropsRef(params);
    return this.props.propsOf(principal.userId, cluster, jobId);
  }

  @Put('user_props/set')
  async setUserProps(
    @Req() request: RequestWithHeaders,
    @Body() body: RawParams,
    @CurrentPrincipal() principal: Principal,
    @CurrentScope() scope: QueryScope,
  ) {
    if (!isJson(request)) throw new ClockworkReply(400, 'Expected a JSON request');
    const job = await this.visible(parsePropsRef(body), scope);
    const updates = parseUpdates(body);
    return this.props.change(
      principal.userId,
      job,
      { type: 'SetJobUserProps', updates },
      actorOf(principal, request).correlationId,
    );
  }

  @Put('user_props/delete')
  @Header('Content-Type', 'application/json')
  async deleteUserProps(
    @Req() request: RequestWithHeaders,
    @Body() body: RawParams,
    @CurrentPrincipal() principal: Principal,
    @CurrentScope() scope: QueryScope,
  ): Promise<string> {
    if (!isJson(request)) throw new ClockworkReply(400, 'Expected a JSON request');
    const job = await this.visible(parsePropsRef(body), scope);
    const keys = parseKeys(body);
    await this.props.change(
      principal.userId,
      job,
      { type: 'DeleteJobUserProps', keys },
      actorOf(principal, request).correlationId,
    );
    // Clockwork answers an empty JSON string.
    return '""';
  }

  /** The older client call: form fields, only the job's owner, the props returned. */
  @Put('user_dict_update')
  async userDictUpdate(
    @Req() request: RequestWithHeaders,
    @Query() query: RawParams,
    @Body() body: RawParams | undefined,
    @CurrentPrincipal() principal: Principal,
    @CurrentScope() scope: QueryScope,
  ) {
    // Flask's request.values: the query string and the form together.
    const params = { ...query, ...(body ?? {}) };
    const job = await this.findJob(parseJobRef(params), scope);
    if (!job) throw new ClockworkReply(404, JOB_NOT_FOUND);
    if (job.user !== principal.slurmUser) {
      const owner = ownerEmails(this.follower.directory.users())(job.cluster, job.user) ?? job.user;
      throw new ClockworkReply(403, `This job belongs to ${owner} and not ${principal.email}.`);
    }
    return this.props.change(
      principal.userId,
      job,
      { type: 'SetJobUserProps', updates: parseUpdatePairs(params) },
      actorOf(principal, request).correlationId,
    );
  }

  /** Props are only written on jobs the caller may see (Clockwork does not check). */
  private async visible(ref: { cluster: string; jobId: string }, scope: QueryScope) {
    const job = await this.props.visibleJob(ref.cluster, ref.jobId, scope);
    if (!job) throw new ClockworkReply(404, JOB_NOT_FOUND);
    return { cluster: job.cluster, jobId: job.jobId };
  }

  /** A job id on any of the clusters (all visible ones by default): its latest life. */
  private async findJob(ref: ClockworkJobRef, scope: QueryScope): Promise<JobView | undefined> {
    const onlyClusters = clustersWithin(ref.clusters, scope);
    if (onlyClusters?.length === 0) return undefined;
    const page = await this.projection.ask(ListJobs, {
      ...scope,
      ...(onlyClusters ? { onlyClusters } : {}),
      jobIds: [ref.jobId],
      sort: 'submitTime',
      order: 'desc',
      limit: 1,
    });
    return page.items[0];
  }

  /** Every job of the query, page after page (Clockwork's list is not paged unless asked). */
  private async allJobs(query: ListJobs): Promise<JobView[]> {
    const jobs: JobView[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<JobView> = await this.projection.ask(ListJobs, {
        ...query,
        limit: MAX_PAGE_LIMIT,
        ...(cursor !== null ? { cursor } : {}),
      });
      jobs.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return jobs;
  }

  private async documents(jobs: readonly JobView[], principal: Principal): Promise<ClockworkJob[]> {
    const props = await this.props.propsOfJobs(principal.userId, jobs);
    const ownerOf = ownerEmails(this.follower.directory.users());
    return jobs.map((job) =>
      clockworkJob(
        job,
        ownerOf(job.cluster, job.user),
        props.get(jobKey(job.cluster, job.jobId)) ?? {},
      ),
    );
  }
}
