/** A cluster's own state, as its ClusterReachable/ClusterUnreachable events and polls tell it. */
export interface ClusterState {
  readonly cluster: string;
  readonly simulated: boolean;
  readonly source: string | null;
  /** False until the collector said it reached the cluster. */
  readonly reachable: boolean;
  readonly unreachableReason: string | null;
  /** The last successful poll the collector reported (a notification, not an event). */
  readonly lastPollAt: string | null;
  /** occurredAt of the latest event of the cluster, its jobs or its nodes. */
  readonly lastEventAt: string | null;
  /** occurredAt of the latest event that a successful poll produced (all but ClusterUnreachable). */
  readonly lastSeenAt: string | null;
}

export function emptyClusterState(cluster: string): ClusterState {
  return {
    cluster,
    simulated: false,
    source: null,
    reachable: false,
    unreachableReason: null,
    lastPollAt: null,
    lastEventAt: null,
    lastSeenAt: null,
  };
}

/** An event of the cluster, its jobs or nodes: a poll saw the cluster then (unless it failed). */
export function observeCluster(
  state: ClusterState,
  occurredAt: string,
  pollSucceeded = true,
): ClusterState {
  const later = (known: string | null): boolean => known === null || occurredAt > known;
  const event = later(state.lastEventAt);
  const seen = pollSucceeded && later(state.lastSeenAt);
  if (!event && !seen) return state;
  return {
    ...state,
    lastEventAt: event ? occurredAt : state.lastEventAt,
    lastSeenAt: seen ? occurredAt : state.lastSeenAt,
  };
}

/** Folds a ClusterReachable/ClusterUnreachable (data already guarded). */
export function evolveCluster(
  state: ClusterState,
  event: { type: string; data: Record<string, unknown>; occurredAt: string },
): ClusterState {
  const d = event.data;
  const seen = observeCluster(state, event.occurredAt, event.type !== 'ClusterUnreachable');
  if (event.type === 'ClusterReachable')
    return {
      ...seen,
      reachable: true,
      unreachableReason: null,
      source: d['source'] as string,
      simulated: d['simulated'] as boolean,
    };
  if (event.type === 'ClusterUnreachable')
    return {
      ...seen,
      reachable: false,
      unreachableReason: d['reason'] as string,
      source: d['source'] as string,
    };
  return seen;
}

/** A successful poll moves lastPollAt on (never back: notifications may arrive out of order). */
export function recordClusterPoll(
  state: ClusterState,
  ok: boolean,
  polledAt: string,
): ClusterState {
  if (!ok || (state.lastPollAt !== null && state.lastPollAt >= polledAt)) return state;
  return { ...state, lastPollAt: polledAt };
}

/**
 * The last time the cluster was known to answer: a reported poll, or the latest event a successful
 * poll produced, whichever is later (no notification is seen right after a rebuild, and an event is
 * a poll's result).
 */
export function lastPollOf(state: ClusterState): string | null {
  const { lastPollAt, lastSeenAt } = state;
  if (lastPollAt === null) return lastSeenAt;
  if (lastSeenAt === null) return lastPollAt;
  return lastPollAt > lastSeenAt ? lastPollAt : lastSeenAt;
}
