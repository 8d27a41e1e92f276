import { Controller, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  GetNode,
  GetNodeHistory,
  ListNodes,
  type Message,
  type NodeHistory,
  type NodeView,
  type Page,
} from '@clocktower/contracts';
import { HandleRequest } from '@clocktower/messaging';
import type { ProjectionAccess } from './projection-access.js';
import { scopeOf } from './query-scope.js';

/** Node queries (queue group job-projection). Not found, or out of the caller's scope: null. */
export function nodesController(projection: ProjectionAccess): Type {
  @Controller()
  class NodesController {
    @HandleRequest(ListNodes)
    list(@Payload() query: Message<ListNodes>): Page<NodeView> {
      return projection.current().listNodes(query.data);
    }

    @HandleRequest(GetNode)
    get(@Payload() { data }: Message<GetNode>): NodeView | null {
      return projection.current().getNode(data.cluster, data.name, scopeOf(data));
    }

    @HandleRequest(GetNodeHistory)
    history(@Payload() { data }: Message<GetNodeHistory>): NodeHistory | null {
      return projection.current().getNodeHistory(data.cluster, data.name, scopeOf(data));
    }
  }
  return NodesController;
}
