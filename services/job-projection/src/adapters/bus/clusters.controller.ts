import { Controller, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ClusterPolled,
  GetCluster,
  GetClusterAsOf,
  GetClusterChanges,
  GetClusterStats,
  ListClusters,
  ListClusterUsers,
  Subjects,
  type ChangeEntry,
  type ClusterAsOf,
  type ClusterStats,
  type ClusterView,
  type Message,
  type Page,
  type UserJobCounts,
} from '@clocktower/contracts';
import { HandleRequest, OnNotification } from '@clocktower/messaging';
import type { ProjectionAccess } from './projection-access.js';
import { scopeOf } from './query-scope.js';

/**
 * Cluster queries (queue group job-projection), and the collector's poll notifications. Those are
 * not shared in a queue group: every replica keeps its own read model, so each records every poll.
 */
export function clustersController(projection: ProjectionAccess): Type {
  @Controller()
  class ClustersController {
    @HandleRequest(ListClusters)
    list(@Payload() { data }: Message<ListClusters>): ClusterView[] {
      return projection.current().listClusters(scopeOf(data));
    }

    @HandleRequest(GetCluster)
    get(@Payload() { data }: Message<GetCluster>): ClusterView | null {
      return projection.current().getCluster(data.cluster, scopeOf(data));
    }

    @HandleRequest(ListClusterUsers)
    users(@Payload() { data }: Message<ListClusterUsers>): UserJobCounts[] {
      return projection.current().listClusterUsers(data.cluster, scopeOf(data));
    }

    @HandleRequest(GetClusterAsOf)
    asOf(@Payload() query: Message<GetClusterAsOf>): ClusterAsOf | null {
      return projection.current().getClusterAsOf(query.data);
    }

    @HandleRequest(GetClusterChanges)
    changes(@Payload() query: Message<GetClusterChanges>): Page<ChangeEntry> {
      return projection.current().getClusterChanges(query.data);
    }

    @HandleRequest(GetClusterStats)
    stats(@Payload() query: Message<GetClusterStats>): ClusterStats | null {
      return projection.current().getClusterStats(query.data);
    }

    @OnNotification(Subjects.event(ClusterPolled.category, ClusterPolled), {
      messageClass: ClusterPolled,
    })
    polled(@Payload() { data }: Message<ClusterPolled>): void {
      projection.recordPoll(data.cluster, data.ok, data.polledAt);
    }
  }
  return ClustersController;
}
