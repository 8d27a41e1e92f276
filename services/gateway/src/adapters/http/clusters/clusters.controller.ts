import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  GetCluster,
  GetClusterAsOf,
  GetClusterChanges,
  GetClusterStats,
  ListClusters,
  ListClusterUsers,
  type ClusterAsOf,
  type ClusterStats,
  type ClusterView,
} from '@clocktower/contracts';
import { CurrentScope } from '../../../auth/auth.decorators.js';
import type { QueryScope } from '../../../auth/scope.js';
import { found } from '../errors/not-found.js';
import { ApiNotFound, ApiOk, ApiProjectionRoute } from '../openapi/api-responses.decorator.js';
import { ApiSchema } from '../openapi/response.schemas.js';
import { ProjectionClient } from '../projection.client.js';
import { DtoPipe } from '../validation/dto.pipe.js';
import { checkPaging, pageReply } from '../validation/paging.params.js';
import { Problems } from '../validation/problems.js';
import { toUtcIso } from '../validation/time-param.decorator.js';
import { statsPeriodOf } from './cluster-stats.period.js';
import {
  ClusterAsOfParams,
  ClusterChangesParams,
  ClusterPathParams,
  ClusterStatsParams,
} from './clusters.params.js';

@ApiTags('clusters')
@ApiProjectionRoute()
@Controller('api/v1/clusters')
export class ClustersController {
  constructor(private readonly projection: ProjectionClient) {}

  @Get()
  @ApiOperation({ summary: 'Every cluster: jobs and nodes per state, CPUs and GPUs, last poll' })
  @ApiOk(ApiSchema.ClusterList)
  async list(@CurrentScope() scope: QueryScope) {
    return { items: await this.projection.ask(ListClusters, { ...scope }) };
  }

  @Get(':cluster')
  @ApiOperation({ summary: 'One cluster: jobs and nodes per state, CPUs and GPUs, last poll' })
  @ApiOk(ApiSchema.ClusterView)
  @ApiNotFound('cluster')
  async get(@Param(DtoPipe) path: ClusterPathParams, @CurrentScope() scope: QueryScope) {
    const cluster: ClusterView | null = await this.projection.ask(GetCluster, {
      ...path,
      ...scope,
    });
    return found(cluster, `cluster ${path.cluster}`);
  }

  @Get(':cluster/users')
  @ApiOperation({ summary: "Jobs per state of each of the cluster's Slurm users" })
  @ApiOk(ApiSchema.ClusterUsers)
  async users(@Param(DtoPipe) path: ClusterPathParams, @CurrentScope() scope: QueryScope) {
    return { items: await this.projection.ask(ListClusterUsers, { ...path, ...scope }) };
  }

  @Get(':cluster/as-of')
  @ApiOperation({ summary: 'The cluster as it was at a past time: its jobs and nodes then' })
  @ApiOk(ApiSchema.ClusterAsOf)
  @ApiNotFound('cluster')
  async asOf(
    @Param(DtoPipe) path: ClusterPathParams,
    @Query(DtoPipe) params: ClusterAsOfParams,
    @CurrentScope() scope: QueryScope,
  ) {
    checkPaging(params, new Problems()).throwIfAny('query parameters');
    const view: ClusterAsOf | null = await this.projection.ask(GetClusterAsOf, {
      ...params,
      ...path,
      time: toUtcIso(params.time),
      ...scope,
    });
    return found(view, `cluster ${path.cluster}`);
  }

  @Get(':cluster/changes')
  @ApiOperation({ summary: 'What changed in the cluster between two times, oldest first' })
  @ApiOk(ApiSchema.ChangePage)
  async changes(
    @Param(DtoPipe) path: ClusterPathParams,
    @Query(DtoPipe) params: ClusterChangesParams,
    @CurrentScope() scope: QueryScope,
  ) {
    const from = toUtcIso(params.from);
    const to = toUtcIso(params.to);
    const problems = checkPaging(params, new Problems());
    if (from > to) problems.add('from', 'from must not be after to');
    problems.throwIfAny('query parameters');
    const page = await this.projection.ask(GetClusterChanges, {
      ...params,
      ...path,
      from,
      to,
      ...scope,
    });
    return pageReply(page, params);
  }

  @Get(':cluster/stats')
  @ApiOperation({
    summary: 'The cluster over a period: jobs per state, CPUs, GPUs and queue waits per bucket',
    description:
      'Points of `step` seconds from `from` to `to` (defaults: the last 24 hours, about 200 points). ' +
      "Each point is the end of its bucket (at − step, at]: the cluster's jobs per state, CPUs and " +
      'GPUs (used, total) at that instant, to the minute, carried through quiet buckets; and the ' +
      'queue waits (start − eligible time, or submit time) of the jobs that started in the bucket.',
  })
  @ApiOk(ApiSchema.ClusterStats)
  @ApiNotFound('cluster')
  async stats(
    @Param(DtoPipe) path: ClusterPathParams,
    @Query(DtoPipe) params: ClusterStatsParams,
    @CurrentScope() scope: QueryScope,
  ) {
    const problems = new Problems();
    const period = statsPeriodOf(params, new Date(), problems);
    problems.throwIfAny('query parameters');
    const stats: ClusterStats | null = await this.projection.ask(GetClusterStats, {
      ...path,
      ...period!,
      ...scope,
    });
    return found(stats, `cluster ${path.cluster}`);
  }
}
