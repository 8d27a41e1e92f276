import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  GetNode,
  GetNodeHistory,
  ListNodes,
  type NodeHistory,
  type NodeView,
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
import { ListNodesParams, NodePathParams } from './nodes.params.js';

@ApiTags('nodes')
@ApiProjectionRoute()
@Controller('api/v1/nodes')
export class NodesController {
  constructor(private readonly projection: ProjectionClient) {}

  @Get()
  @ApiOperation({ summary: 'Nodes matching the filters, one page at a time' })
  @ApiOk(ApiSchema.NodePage)
  async list(@Query(DtoPipe) params: ListNodesParams, @CurrentScope() scope: QueryScope) {
    checkPaging(params, new Problems()).throwIfAny('query parameters');
    const page = await this.projection.ask(ListNodes, { ...params, ...scope });
    return pageReply(page, params);
  }

  @Get(':cluster/:name')
  @ApiOperation({ summary: "A node's current state" })
  @ApiOk(ApiSchema.NodeView)
  @ApiNotFound('node')
  async get(@Param(DtoPipe) path: NodePathParams, @CurrentScope() scope: QueryScope) {
    const node: NodeView | null = await this.projection.ask(GetNode, { ...path, ...scope });
    return found(node, nodeName(path));
  }

  @Get(':cluster/:name/history')
  @ApiOperation({ summary: "A node's history: every event, in order" })
  @ApiOk(ApiSchema.NodeHistory)
  @ApiNotFound('node')
  async history(@Param(DtoPipe) path: NodePathParams, @CurrentScope() scope: QueryScope) {
    const history: NodeHistory | null = await this.projection.ask(GetNodeHistory, {
      ...path,
      ...scope,
    });
    return found(history, nodeName(path));
  }
}

function nodeName(path: NodePathParams): string {
  return `node ${path.name} on cluster ${path.cluster}`;
}
