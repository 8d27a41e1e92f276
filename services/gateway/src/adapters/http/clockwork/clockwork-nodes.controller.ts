import { Controller, Get, Query, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  GetNode,
  ListClusters,
  ListNodes,
  MAX_PAGE_LIMIT,
  type NodeView,
  type Page,
} from '@clocktower/contracts';
import { CurrentScope, Public } from '../../../auth/auth.decorators.js';
import type { QueryScope } from '../../../auth/scope.js';
import { ProjectionClient } from '../projection.client.js';
import { ClockworkAuthGuard } from './clockwork-auth.guard.js';
import { clockworkNode, type ClockworkNode } from './clockwork-documents.js';
import { ClockworkExceptionFilter } from './clockwork-exception.filter.js';
import { ClockworkReply, missingArgument } from './clockwork-reply.js';
import { arg, type RawParams } from './clockwork.params.js';

/** Clockwork's node routes (`/api/v1/clusters/nodes/…`); see ClockworkJobsController. */
@ApiExcludeController()
@Public()
@UseGuards(ClockworkAuthGuard)
@UseFilters(ClockworkExceptionFilter)
@Controller('api/v1/clusters/nodes')
export class ClockworkNodesController {
  constructor(private readonly projection: ProjectionClient) {}

  /** Every node, or one cluster's (`cluster_name`); a cluster the caller may not see: none. */
  @Get('list')
  async list(
    @Query() params: RawParams,
    @CurrentScope() scope: QueryScope,
  ): Promise<ClockworkNode[]> {
    const cluster = arg(params, 'cluster_name');
    const nodes: NodeView[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<NodeView> = await this.projection.ask(ListNodes, {
        ...scope,
        ...(cluster !== undefined ? { cluster } : {}),
        limit: MAX_PAGE_LIMIT,
        ...(cursor !== null ? { cursor } : {}),
      });
      nodes.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return nodes.map(clockworkNode);
  }

  /** `node_name` on `cluster_name`, or on whichever cluster has it: `{}` when none does. */
  @Get('one')
  async one(
    @Query() params: RawParams,
    @CurrentScope() scope: QueryScope,
  ): Promise<ClockworkNode | Record<string, never>> {
    const name = arg(params, 'node_name');
    if (name === undefined || name === '') throw missingArgument('node_name');
    const cluster = arg(params, 'cluster_name');
    const clusters =
      cluster !== undefined
        ? [cluster]
        : (await this.projection.ask(ListClusters, { ...scope })).map((c) => c.cluster);
    const found = (
      await Promise.all(
        clusters.map((c) => this.projection.ask(GetNode, { cluster: c, name, ...scope })),
      )
    ).filter((node): node is NodeView => node !== null);
    if (found.length > 1) {
      // Clockwork's answer when names clash across clusters; cluster_name tells them apart.
      throw new ClockworkReply(
        500,
        `Found ${found.length} nodes with node_name ${name}. Not sure what to do about these cases.`,
      );
    }
    return found[0] ? clockworkNode(found[0]) : {};
  }
}
