import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type {
  ClusterStats,
  ClusterView,
  JobHistory,
  JobView,
  NodeView,
  Page,
  ProjectionStatus,
} from '@clocktower/contracts';
import { labComponent } from '@clocktower/testing';
import { allJobs, allPages, type ApiClient } from './support/api-client.js';
import {
  caughtUp,
  JOBS_PROJECTION,
  projections,
  startFixture,
  type E2eFixture,
} from './support/e2e-fixture.js';
import { foldJobs, readEvents } from './support/expected-views.js';
import { CLUSTER } from './support/known-history.js';
import { appendSynthetic } from './support/synthetic.js';
import { appendEntries, type TimelineEntry } from './support/timeline.js';

/**
 * POST /api/v1/admin/projections/jobs/rebuild replays the whole history into a fresh read model
 * while the current one keeps answering, then switches over: everything read through the API
 * afterwards must equal what the incrementally built model answered, plus what was appended while
 * the rebuild ran.
 */

const nats = await labComponent('nats');

interface Snapshot {
  readonly jobs: JobView[];
  readonly histories: Record<string, JobHistory>;
  readonly nodes: NodeView[];
  readonly clusters: ClusterView[];
  /** Each cluster's statistics up to its latest event, by cluster. */
  readonly stats: Record<string, ClusterStats>;
}

const DURING_JOB = {
  cluster: CLUSTER,
  name: 'during-rebuild',
  user: 'alice',
  account: 'ml',
  partition: 'batch',
} as const;

const SAMPLED_JOBS = ['1001', '1003', '1004', '2002', '2003'];

async function snapshot(api: ApiClient): Promise<Snapshot> {
  const { items } = await allJobs(api, { sort: 'jobId', order: 'asc' }, 1_000);
  const histories: Record<string, JobHistory> = {};
  for (const jobId of SAMPLED_JOBS) {
    histories[jobId] = await api.ok<JobHistory>(`/api/v1/jobs/${CLUSTER}/${jobId}/history`);
  }
  const nodes = await allPages<NodeView>(api, '/api/v1/nodes', {}, undefined, 1_000);
  const clusters = (await api.ok<{ items: ClusterView[] }>('/api/v1/clusters')).items;
  const stats: Record<string, ClusterStats> = {};
  for (const { cluster, updatedAt } of clusters) {
    const to = new Date(Date.parse(updatedAt!) + 60_000).toISOString();
    const from = new Date(Date.parse(to) - 1_000 * 600_000).toISOString();
    stats[cluster] = await api.ok<ClusterStats>(`/api/v1/clusters/${cluster}/stats`, {
      from,
      to,
      step: '600',
    });
  }
  return { jobs: byStream(items), histories, nodes, clusters, stats };
}

const byStream = <T extends { stream: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => a.stream.localeCompare(b.stream));

(nats.available ? describe : describe.skip)(
  'rebuilding the jobs read model through the admin API, the services as separate processes over NATS',
  () => {
    let fixture: E2eFixture;

    beforeAll(async () => {
      fixture = await startFixture(nats.available ? nats.value : '', {
        more: (stack) => appendSynthetic(stack.store),
      });
    });

    afterAll(async () => {
      await fixture?.stack.stop();
    });

    it('answers the same after a rebuild as before, with the events appended during it folded in', async () => {
      const before = await snapshot(fixture.admin);

      const response = await fixture.admin.post<{ started: boolean; status: ProjectionStatus }>(
        `/api/v1/admin/projections/${JOBS_PROJECTION}/rebuild`,
      );
      expect(response.status).toBe(202);
      expect(response.body.started).toBe(true);

      // New jobs are appended, one after another, for as long as the rebuild runs (at least one,
      // should it already be done): each must be in the model that answers afterwards, whether it
      // came before the replay's end, during the switch, or after.
      const t = fixture.timeline;
      t.start(2_000, CLUSTER, '1004', 'n02');
      const during: TimelineEntry[] = [];
      let status: ProjectionStatus | undefined;
      for (let n = 0; ; n++) {
        const jobId = String(1_201 + n);
        t.submit(2_010 + n, { ...DURING_JOB, jobId }).start(2_010 + n, CLUSTER, jobId, 'n01');
        const entries = t.take();
        await appendEntries(fixture.stack.store, entries);
        during.push(...entries);
        // The model being replaced keeps answering meanwhile.
        const meanwhile = await fixture.admin.ok<Page<JobView>>('/api/v1/jobs', { limit: '1' });
        expect(meanwhile.total).toBeGreaterThanOrEqual(before.jobs.length);
        status = (await projections(fixture.admin)).find((p) => p.name === JOBS_PROJECTION);
        if (status?.rebuild?.finishedAt) break;
        if (n > 5_000) throw new Error(`the rebuild does not finish: ${JSON.stringify(status)}`);
      }
      expect(status.rebuild).toMatchObject({ error: null });
      expect(status.rebuild.eventsDone).toBeGreaterThanOrEqual(status.rebuild.eventsTotal);
      await caughtUp(fixture.stack, fixture.admin);

      const after = await snapshot(fixture.admin);
      const touched = new Set(during.map((e) => e.stream));
      const untouched = (jobs: readonly JobView[]) => jobs.filter((j) => !touched.has(j.stream));
      expect(untouched(after.jobs)).toEqual(untouched(before.jobs));
      for (const jobId of SAMPLED_JOBS.filter((id) => id !== '1004')) {
        expect(after.histories[jobId]).toEqual(before.histories[jobId]);
      }
      expect(byName(after.nodes)).toEqual(byName(before.nodes));

      // The jobs appended during the rebuild: as their events say, history included.
      const expected = foldJobs(await readEvents(fixture.stack.store)).filter((j) =>
        touched.has(j.stream),
      );
      const changed = after.jobs.filter((j) => touched.has(j.stream));
      expect(changed).toEqual(
        byStream(expected).map((j) => ({
          ...j.record,
          stream: j.stream,
          updatedAt: j.updatedAt,
          position: j.position,
        })),
      );
      const history1004 = after.histories['1004']!;
      expect(history1004.events.slice(0, -2)).toEqual(before.histories['1004']!.events);
      expect(history1004.events.slice(-2).map((e) => e.eventId)).toEqual(
        during.filter((e) => e.key === '1004').map((e) => e.message.eventId),
      );
      // Clusters the appended events did not touch look exactly the same.
      const others = (clusters: readonly ClusterView[]) =>
        clusters
          .filter((c) => c.cluster !== CLUSTER)
          .sort((a, b) => a.cluster.localeCompare(b.cluster));
      expect(others(after.clusters)).toEqual(others(before.clusters));
      // …and so do their statistics, drawn from samples the rebuild wrote anew.
      for (const { cluster } of others(before.clusters)) {
        expect(before.stats[cluster]!.points.at(-1)!.cpus.total).toBeGreaterThan(0);
        expect(after.stats[cluster]).toEqual(before.stats[cluster]);
      }
      expect(after.clusters.map((c) => c.cluster).sort()).toEqual(
        before.clusters.map((c) => c.cluster).sort(),
      );
    });

    it('answers 404 for a projection that does not exist', async () => {
      const response = await fixture.admin.post('/api/v1/admin/projections/no-such-model/rebuild');
      expect(response.status).toBe(404);
    });
  },
);

const byName = <T extends { cluster: string; name: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => `${a.cluster}/${a.name}`.localeCompare(`${b.cluster}/${b.name}`));
