import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChangeEntry } from '@clocktower/contracts';
import { labComponent, until } from '@clocktower/testing';
import { ALICE } from './support/accounts.js';
import { issuePaths } from './support/api-client.js';
import { caughtUp, startFixture, type E2eFixture } from './support/e2e-fixture.js';
import { AUX, CLUSTER } from './support/known-history.js';
import { SseConnection, type SseEvent } from './support/sse-client.js';
import { appendEntries, type TimelineEntry } from './support/timeline.js';

/**
 * GET /api/v1/events: Server-Sent Events of job and node changes, filtered like /jobs, resumable
 * with Last-Event-ID. New history is appended to the store while clients listen (and while they
 * are away), as the collector would; each client must get exactly the changes that match it.
 */

const nats = await labComponent('nats');

/** The changes in a stream (not its `ready` or `error` events), parsed. */
function changesOf(connection: SseConnection): { frame: SseEvent; change: ChangeEntry }[] {
  return connection.events
    .filter((e) => e.event !== 'ready' && e.event !== 'error')
    .map((frame) => ({ frame, change: JSON.parse(frame.data) as ChangeEntry }));
}

const idsOf = (connection: SseConnection): string[] =>
  changesOf(connection).map((c) => c.change.eventId);

const eventIds = (entries: readonly TimelineEntry[]): string[] =>
  entries.map((e) => e.message.eventId);

(nats.available ? describe : describe.skip)(
  'the change stream (SSE) over HTTP, the services as separate processes over NATS',
  () => {
    let fixture: E2eFixture;
    const open: SseConnection[] = [];

    beforeAll(async () => {
      fixture = await startFixture(nats.available ? nats.value : '');
    });

    afterEach(async () => {
      await Promise.all(open.splice(0).map((c) => c.close()));
    });

    afterAll(async () => {
      await fixture?.stack.stop();
    });

    /** Opens a stream and waits for its `ready` event: from then on nothing appended is missed. */
    async function connect(
      query: Record<string, string>,
      options: { key?: string; lastEventId?: string } = {},
    ): Promise<SseConnection> {
      const api = fixture.admin.as(options.key ?? fixture.admin.key);
      const connection = await SseConnection.open(api.url('/api/v1/events', query), {
        ...api.headers(),
        ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
      });
      open.push(connection);
      expect(connection.status).toBe(200);
      expect(connection.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await until('the stream ready', () => connection.events.some((e) => e.event === 'ready'));
      return connection;
    }

    async function append(): Promise<TimelineEntry[]> {
      const entries = fixture.timeline.take();
      await appendEntries(fixture.stack.store, entries);
      return entries;
    }

    async function receive(connection: SseConnection, ids: readonly string[], what: string) {
      await until(
        what,
        () => {
          if (connection.endedByServer)
            throw new Error(`the stream ended: ${String(connection.error)}`);
          const got = new Set(idsOf(connection));
          return ids.every((id) => got.has(id));
        },
        20_000,
        20,
      );
    }

    const job = (jobId: string, user: string, name: string, cluster = CLUSTER) =>
      ({ cluster, jobId, name, user, account: 'live', partition: 'batch' }) as const;

    it('sends exactly the changes that match its filters as they are stored, each with its position as id', async () => {
      const alice = await connect({ cluster: CLUSTER, user: 'alice' });
      const cluster = await connect({ cluster: CLUSTER });
      const t = fixture.timeline;
      t.submit(1_000, job('1101', 'alice', 'live-one'))
        .submit(1_000, job('1102', 'bob', 'live-two'))
        .submit(1_000, job('7101', 'alice', 'live-aux', AUX))
        .drain(1_010, CLUSTER, 'n01', 'maintenance')
        .pendingReason(1_020, CLUSTER, '1101', 'Resources');
      const entries = await append();
      const forAlice = entries.filter((e) => e.cluster === CLUSTER && e.key === '1101');
      const forCluster = entries.filter((e) => e.cluster === CLUSTER);

      // The last entry matches both: once it is in, every earlier one had its chance to be sent.
      await receive(alice, eventIds(forAlice), "alice's changes");
      await receive(cluster, eventIds(forCluster), "the cluster's changes");
      expect(idsOf(alice)).toEqual(eventIds(forAlice));
      expect(idsOf(cluster)).toEqual(eventIds(forCluster));
      for (const { frame, change } of changesOf(cluster)) {
        expect(frame.id).toBe(change.position);
        expect(frame.event).toBe(change.type);
      }
      const drain = changesOf(cluster).find((c) => c.change.type === 'NodeStateChanged')!.change;
      expect(drain).toMatchObject({ kind: 'node', cluster: CLUSTER, key: 'n01' });
      expect(drain.after).toMatchObject({ name: 'n01', flags: ['DRAIN'], reason: 'maintenance' });
    });

    it('resumes after Last-Event-ID with every change missed while away, none twice, then live ones', async () => {
      const query = { cluster: CLUSTER, user: 'alice' };
      const first = await connect(query);
      const t = fixture.timeline;
      t.submit(1_300, job('1103', 'alice', 'before-the-break'));
      const before = await append();
      await receive(first, eventIds(before), 'the change before the break');
      const lastEventId = first.lastEventId!;
      await first.close();

      t.start(1_400, CLUSTER, '1101', 'n02')
        .submit(1_410, job('1104', 'bob', 'while-away'))
        .end(1_500, CLUSTER, '1101', { state: 'COMPLETED', exitCode: 0 })
        .start(1_510, AUX, '7101', 'a01')
        .pendingReason(1_520, CLUSTER, '1103', 'Dependency');
      const missed = (await append()).filter((e) => e.cluster === CLUSTER && e.key !== '1104');
      await caughtUp(fixture.stack, fixture.admin);

      const second = await connect(query, { lastEventId });
      await receive(second, eventIds(missed), 'the changes missed while away');
      t.start(1_600, CLUSTER, '1103', 'n01').submit(1_610, job('1105', 'alice', 'after-the-break'));
      const live = await append();
      await receive(second, eventIds(live), 'the live changes after resuming');
      expect(idsOf(second)).toEqual([...eventIds(missed), ...eventIds(live)]);
      expect(idsOf(first)).toEqual(eventIds(before));
    });

    it("gives a user only their own jobs' changes", async () => {
      const stream = await connect({}, { key: fixture.keys[ALICE.email]! });
      const t = fixture.timeline;
      t.submit(1_700, job('1106', 'bob', 'not-for-alice'))
        .submit(1_700, job('7102', 'dave', 'not-for-alice-either', AUX))
        .submit(1_710, job('1107', 'alice', 'for-alice'));
      const entries = await append();
      const hers = entries.filter((e) => e.key === '1107');
      await receive(stream, eventIds(hers), "alice's own change");
      const jobChanges = changesOf(stream).filter((c) => c.change.kind === 'job');
      expect(jobChanges.map((c) => c.change.eventId)).toEqual(eventIds(hers));
    });

    it('refuses a bad filter with 400 naming it, and a request without a key with 401, before streaming', async () => {
      const bad = await fixture.admin.get('/api/v1/events', { state: 'SNOOZING' });
      expect(bad.status).toBe(400);
      expect(issuePaths(bad.body)).toEqual(['state']);
      const anonymous = await fixture.admin.as(undefined).get('/api/v1/events');
      expect(anonymous.status).toBe(401);
    });
  },
);
