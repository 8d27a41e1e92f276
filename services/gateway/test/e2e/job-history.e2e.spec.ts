import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  evolveJob,
  evolveNode,
  type ChangeEntry,
  type ClusterAsOf,
  type JobHistory,
  type JobPendingTime,
  type JobRecord,
  type NodeHistory,
  type NodeRecord,
  type NodeView,
  type Page,
} from '@clocktower/contracts';
import type { RecordedEvent } from '@clocktower/event-store';
import { labComponent } from '@clocktower/testing';
import { allPages, issuePaths } from './support/api-client.js';
import { startFixture, type E2eFixture } from './support/e2e-fixture.js';
import { foldJobs, foldNodes, isFinal, readEvents } from './support/expected-views.js';
import { BASE, CANCEL_CHAIN, CLUSTER, KNOWN_PENDING } from './support/known-history.js';

/**
 * The audit trail, pending time per reason and the views of the past, for jobs whose every
 * transition the test wrote itself (support/known-history.ts), read over HTTP from job-projection
 * and the gateway running as separate processes over NATS.
 */

const nats = await labComponent('nats');
const at = (seconds: number): string => new Date(BASE + seconds * 1_000).toISOString();
const byName = <T extends { name: string }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => a.name.localeCompare(b.name));
/** The fields of `want` as `got` has them: a view may say more than the record it extends. */
const pick = (got: object, want: object): Record<string, unknown> =>
  Object.fromEntries(Object.keys(want).map((k) => [k, (got as Record<string, unknown>)[k]]));

(nats.available ? describe : describe.skip)(
  'job and node history, pending time and past views over HTTP, the services as separate processes over NATS',
  () => {
    let fixture: E2eFixture;
    let events: RecordedEvent[];

    beforeAll(async () => {
      fixture = await startFixture(nats.available ? nats.value : '');
      events = await readEvents(fixture.stack.store);
    });

    afterAll(async () => {
      await fixture?.stack.stop();
    });

    const storedOf = (stream: string): RecordedEvent[] => events.filter((e) => e.stream === stream);

    it.each(['1001', '1003', '1006', '2003'])(
      'lists every event of job %s in order with its type, times, data and correlation id',
      async (jobId) => {
        const stream = fixture.timeline.streamOf(CLUSTER, jobId);
        const history = await fixture.admin.ok<JobHistory>(
          `/api/v1/jobs/${CLUSTER}/${jobId}/history`,
        );
        expect({ cluster: history.cluster, jobId: history.jobId, stream: history.stream }).toEqual({
          cluster: CLUSTER,
          jobId,
          stream,
        });
        expect(history.events).toEqual(
          storedOf(stream).map((e) => ({
            position: e.position.toString(),
            stream,
            revision: e.revision,
            eventId: e.eventId,
            type: e.type,
            occurredAt: e.occurredAt,
            slurmTime: (e.data['slurmTime'] as string | null | undefined) ?? null,
            correlationId: e.correlationId,
            causationId: e.causationId,
            data: e.data,
          })),
        );
      },
    );

    it("carries a user's cancel's correlation id through the events that ended the job", async () => {
      const history = await fixture.admin.ok<JobHistory>(`/api/v1/jobs/${CLUSTER}/1006/history`);
      expect(
        history.events.filter((e) => e.correlationId === CANCEL_CHAIN).map((e) => e.type),
      ).toEqual(['JobStateChanged', 'JobEnded']);
    });

    it.each(Object.entries(KNOWN_PENDING))(
      'gives the time job %s pended for each reason, over all its runs',
      async (jobId, seconds) => {
        const body = await fixture.admin.ok<JobPendingTime>(
          `/api/v1/jobs/${CLUSTER}/${jobId}/pending-time`,
        );
        const total = Object.values(seconds).reduce((a, b) => a + b, 0);
        expect({
          ...body,
          byReason: Object.fromEntries(body.byReason.map((r) => [r.reason, r.seconds])),
          asOf: undefined,
        }).toEqual({
          cluster: CLUSTER,
          jobId,
          totalSeconds: total,
          byReason: seconds,
          pending: false,
          asOf: undefined,
        });
      },
    );

    it('counts the open wait of a job still pending up to the time it answers', async () => {
      const body = await fixture.admin.ok<JobPendingTime>(
        `/api/v1/jobs/${CLUSTER}/2003/pending-time`,
      );
      const open = (Date.parse(body.asOf) - Date.parse(at(340))) / 1_000;
      expect(body.pending).toBe(true);
      expect(body.byReason.find((r) => r.reason === 'Priority')?.seconds).toBe(40);
      expect(body.byReason.find((r) => r.reason === 'Resources')?.seconds).toBeCloseTo(open, 3);
      expect(body.totalSeconds).toBeCloseTo(40 + open, 3);
    });

    it.each([5, 45, 155, 305, 345, 455, 601])(
      'shows the jobs and nodes of the cluster as they were %i s into the history',
      async (seconds) => {
        const time = at(seconds);
        const live = foldJobs(events, time).filter(
          (j) => j.record.cluster === CLUSTER && !isFinal(j.record.state),
        );
        let asOf: ClusterAsOf | undefined;
        const jobs = await allPages<JobRecord & { stream: string }>(
          fixture.admin,
          `/api/v1/clusters/${CLUSTER}/as-of`,
          { time },
          (body) => {
            asOf = body as ClusterAsOf;
            return asOf.jobs;
          },
          3,
        );
        expect(asOf?.cluster).toBe(CLUSTER);
        expect(Date.parse(asOf!.time)).toBe(Date.parse(time));
        const got = [...jobs].sort((a, b) => a.stream.localeCompare(b.stream));
        const want = [...live].sort((a, b) => a.stream.localeCompare(b.stream));
        expect(got.map((j) => j.stream)).toEqual(want.map((j) => j.stream));
        for (const [i, job] of want.entries()) {
          expect(pick(got[i]!, job.record)).toEqual(job.record);
        }
        const counts: Record<string, number> = {};
        for (const job of live) counts[job.record.state] = (counts[job.record.state] ?? 0) + 1;
        expect(asOf!.jobsByState).toEqual(counts);
        const nodes = byName(foldNodes(events, CLUSTER, time));
        expect(byName(asOf!.nodes).map((n, i) => pick(n, nodes[i] ?? {}))).toEqual(nodes);
      },
    );

    it.each([
      [0, 60],
      [100, 300],
      [299, 300],
      [400, 10_000],
      [700, 800],
    ])('lists exactly the changes after %i s up to %i s, oldest first', async (from, to) => {
      const inWindow = events.filter(
        (e) =>
          e.data['cluster'] === CLUSTER &&
          Date.parse(e.occurredAt) > Date.parse(at(from)) &&
          Date.parse(e.occurredAt) <= Date.parse(at(to)),
      );
      const changes = await allPages<ChangeEntry>(
        fixture.admin,
        `/api/v1/clusters/${CLUSTER}/changes`,
        { from: at(from), to: at(to) },
        undefined,
        4,
      );
      expect(changes.map((c) => [c.eventId, c.type, c.kind, c.key])).toEqual(
        inWindow.map((e) => [e.eventId, e.type, kindOf(e), keyOf(e)]),
      );
      const after = stateAfterEach(events);
      for (const change of changes) {
        expect({ eventId: change.eventId, after: change.after }).toEqual({
          eventId: change.eventId,
          after: after.get(change.eventId) ?? null,
        });
      }
    });

    it('answers 400 naming the field for a bad time and 404 for an unknown cluster', async () => {
      const bad = await fixture.admin.get(`/api/v1/clusters/${CLUSTER}/as-of`, { time: 'noon' });
      expect(bad.status).toBe(400);
      expect(issuePaths(bad.body)).toEqual(['time']);
      const badRange = await fixture.admin.get(`/api/v1/clusters/${CLUSTER}/changes`, {
        from: at(10),
      });
      expect(badRange.status).toBe(400);
      expect(issuePaths(badRange.body)).toEqual(['to']);
      const unknown = await fixture.admin.get('/api/v1/clusters/atlantis/as-of', { time: at(10) });
      expect(unknown.status).toBe(404);
    });

    it('lists nodes by flag and gives a drained node its history', async () => {
      const drained = await fixture.admin.ok<Page<NodeView>>('/api/v1/nodes', {
        cluster: CLUSTER,
        flag: 'DRAIN',
      });
      expect(drained.items.map((n) => n.name)).toEqual(['n02']);
      expect(drained.items[0]).toMatchObject({ flags: ['DRAIN'], reason: 'disk check' });
      const history = await fixture.admin.ok<NodeHistory>(`/api/v1/nodes/${CLUSTER}/n02/history`);
      expect(history.events.map((e) => e.type)).toEqual(['NodeAdded', 'NodeStateChanged']);
      const gpu = await fixture.admin.ok<Page<NodeView>>('/api/v1/nodes', { gpuType: 'a100' });
      expect(gpu.items.map((n) => `${n.cluster}/${n.name}`)).toEqual([`${CLUSTER}/n03`]);
    });
  },
);

function kindOf(event: RecordedEvent): string {
  return event.stream.slice(0, event.stream.indexOf('-'));
}

function keyOf(event: RecordedEvent): string | null {
  return (
    (event.data['jobId'] as string | undefined) ??
    (event.data['node'] as string | undefined) ??
    null
  );
}

/** The job or node record right after each event (by event id), folded from the store's order. */
function stateAfterEach(events: readonly RecordedEvent[]): Map<string, JobRecord | NodeRecord> {
  const jobs = new Map<string, JobRecord>();
  const nodes = new Map<string, NodeRecord>();
  const after = new Map<string, JobRecord | NodeRecord>();
  for (const event of events) {
    const kind = kindOf(event);
    if (kind === 'job') {
      const record = evolveJob(jobs.get(event.stream), event);
      if (record) jobs.set(event.stream, record);
      if (record) after.set(event.eventId, record);
    } else if (kind === 'node') {
      const record = evolveNode(nodes.get(event.stream), event);
      if (record) nodes.set(event.stream, record);
      if (record) after.set(event.eventId, record);
    }
  }
  return after;
}
