import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  createMessage,
  ProjectionAdvanced,
  ReadChanges,
  type ChangeEntry,
  type ChangeFeed,
} from '@clocktower/contracts';
import { BusClient } from '@clocktower/messaging';
import { until } from '@clocktower/testing';
import { EventStream } from './support/event-stream.js';
import { HttpGateway } from './support/http-gateway.js';

/**
 * GET /api/v1/events over HTTP, in front of a stand-in projection whose change log the test
 * writes: the SSE framing, where a stream starts, resuming with Last-Event-ID, paging through a
 * long history, and what happens while the projection does not answer.
 */

/** The projection's change log as ReadChanges reads it (filtering by cluster only). */
class ChangeLog {
  readonly entries: ChangeEntry[] = [];

  get head(): string {
    return this.entries.at(-1)?.position ?? '0';
  }

  add(count: number, cluster = 'c1', type = 'JobStateChanged'): ChangeEntry[] {
    const added: ChangeEntry[] = [];
    for (let i = 0; i < count; i++) {
      const position = String(this.entries.length + 1);
      const key = String(1000 + this.entries.length);
      const entry: ChangeEntry = {
        position,
        stream: `job-${cluster}-${key}-1`,
        revision: 1,
        eventId: `event-${position}`,
        type,
        occurredAt: '2026-01-01T00:00:00.000Z',
        slurmTime: null,
        correlationId: `event-${position}`,
        causationId: `event-${position}`,
        data: { note: 'line one\nline two' },
        kind: 'job',
        cluster,
        key,
        after: null,
      };
      this.entries.push(entry);
      added.push(entry);
    }
    return added;
  }

  read(query: Record<string, unknown>): ChangeFeed {
    const after = BigInt(query['afterPosition'] as string);
    const limit = (query['limit'] as number | undefined) ?? 50;
    const items: ChangeEntry[] = [];
    let lastPosition = after;
    for (const entry of this.entries) {
      if (BigInt(entry.position) <= after) continue;
      if (items.length === limit) break;
      lastPosition = BigInt(entry.position);
      if (query['cluster'] === undefined || query['cluster'] === entry.cluster) items.push(entry);
    }
    return { items, lastPosition: String(lastPosition), projectedPosition: this.head };
  }
}

const positions = (stream: EventStream): string[] => stream.changes().map((e) => e.id!);
const range = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('the change stream (SSE)', () => {
  let gateway: HttpGateway;
  let log: ChangeLog;
  const open: EventStream[] = [];

  beforeAll(async () => {
    gateway = await HttpGateway.start();
  });

  afterAll(async () => {
    await gateway?.close();
  });

  beforeEach(() => {
    gateway.projection.clear();
    log = new ChangeLog();
    gateway.projection.answer(ReadChanges, (query) => log.read(query));
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  async function connect(query = '', headers: Record<string, string> = {}, key?: string) {
    const stream = await EventStream.open(`${gateway.url}/api/v1/events${query}`, {
      authorization: `Bearer ${key ?? gateway.keys.admin}`,
      ...headers,
    });
    open.push(stream);
    return stream;
  }

  async function ready(stream: EventStream): Promise<EventStream> {
    await until('the stream ready', () => stream.named('ready').length > 0);
    return stream;
  }

  /** What job-projection publishes after each batch it folds. */
  async function advance(): Promise<void> {
    const message = createMessage(ProjectionAdvanced, { projection: 'jobs', position: log.head });
    await new BusClient(gateway.bus).notify(ProjectionAdvanced.category, message);
  }

  it('frames each change with its position as id, its type as event and its JSON as data', async () => {
    log.add(2);
    const stream = await ready(await connect('?lastEventId=0'));
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toBe('no-cache, no-transform');
    await until('both changes', () => stream.changes().length === 2);
    expect(stream.raw.startsWith('retry: 2000\n\n')).toBe(true);
    const first = log.entries[0]!;
    expect(stream.raw).toContain(
      `id: 1\nevent: JobStateChanged\ndata: ${JSON.stringify(first)}\n\n`,
    );
    expect(stream.changes().map((e) => JSON.parse(e.data) as ChangeEntry)).toEqual(log.entries);
    expect(stream.named('ready')[0]).toEqual({ id: '0', event: 'ready', data: '{"after":"0"}' });
  });

  it('starts from now without Last-Event-ID, then sends each change as the projection advances', async () => {
    log.add(3);
    const stream = await ready(await connect());
    expect(stream.named('ready')[0]?.data).toBe('{"after":"3"}');
    log.add(2);
    await advance();
    await until('the new changes', () => stream.changes().length === 2);
    expect(positions(stream)).toEqual(['4', '5']);
  });

  it('resumes after Last-Event-ID with every change missed, none twice', async () => {
    log.add(3);
    const first = await ready(await connect());
    log.add(4);
    await advance();
    await until('the four new changes', () => first.changes().length === 4);
    const lastEventId = first.lastEventId!;
    expect(lastEventId).toBe('7');
    await first.close();

    log.add(3);
    const second = await ready(await connect('', { 'last-event-id': lastEventId }));
    await until('the missed changes', () => second.changes().length === 3);
    log.add(1);
    await advance();
    await until('the live change', () => second.changes().length === 4);
    expect(positions(second)).toEqual(range(8, 11));
  });

  it('takes the lastEventId query parameter, the header winning over it', async () => {
    log.add(5);
    const byQuery = await ready(await connect('?lastEventId=3'));
    await until('changes after 3', () => byQuery.changes().length === 2);
    expect(positions(byQuery)).toEqual(['4', '5']);
    const both = await ready(await connect('?lastEventId=1', { 'last-event-id': '4' }));
    await until('changes after 4', () => both.changes().length === 1);
    expect(positions(both)).toEqual(['5']);
  });

  it('replays a history longer than a page, in order, with lastEventId=0', async () => {
    log.add(1_234);
    const stream = await ready(await connect('?lastEventId=0'));
    await until('the whole history', () => stream.changes().length === 1_234, 20_000);
    expect(positions(stream)).toEqual(range(1, 1_234));
  });

  it('moves Last-Event-ID past changes that do not match, so a resume does not scan them again', async () => {
    log.add(2, 'c1');
    const stream = await ready(await connect('?cluster=c2&lastEventId=0'));
    log.add(3, 'c1');
    await advance();
    await until('the id to move to the head', () => stream.lastEventId === '5');
    expect(stream.changes()).toEqual([]);
  });

  it('asks ReadChanges with the /jobs filters in the projection terms and the caller scope', async () => {
    const stream = await ready(
      await connect(
        '?cluster=c1&state=running,failed&name=align&jobIds=1,2&lastEventId=7',
        {},
        gateway.keys.alice,
      ),
    );
    await until('a read after 7', () =>
      gateway.projection.received.some((r) => r.data['afterPosition'] === '7'),
    );
    expect(stream.status).toBe(200);
    expect(gateway.projection.last(ReadChanges)).toEqual({
      cluster: 'c1',
      state: ['running', 'failed'],
      nameContains: 'align',
      jobIds: ['1', '2'],
      onlyUser: 'alice',
      afterPosition: '7',
      limit: 500,
    });
  });

  it('refuses a bad filter or Last-Event-ID with 400 naming it, before streaming', async () => {
    const bad = await gateway.get('/api/v1/events?state=SNOOZING&lastEventId=x', {
      headers: { 'last-event-id': 'yesterday' },
    });
    expect(bad.status).toBe(400);
    const issues = (bad.body as { issues: { path: string }[] }).issues.map((i) => i.path).sort();
    expect(issues).toEqual(['lastEventId', 'state']);
    const header = await gateway.get('/api/v1/events', {
      headers: { 'last-event-id': 'yesterday' },
    });
    expect(header.status).toBe(400);
    expect((header.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      'Last-Event-ID',
    ]);
  });

  it('reports a projection that does not answer as an error event, and carries on once it does', async () => {
    gateway.projection.stop();
    const stream = await connect();
    await until('an error event', () => stream.named('error').length > 0);
    expect(stream.status).toBe(200);
    expect(JSON.parse(stream.named('error')[0]!.data)).toMatchObject({
      code: 'BUS_NO_RESPONDER',
      retrying: true,
      reason: expect.stringContaining('no service answers'),
    });
    log.add(2);
    gateway.projection.start();
    await advance();
    await ready(stream);
    log.add(1);
    await advance();
    await until('the change after recovery', () => stream.changes().length === 1);
    expect(positions(stream)).toEqual(['3']);
    expect(stream.named('error')).toHaveLength(1);
  });
});

describe('the change stream when the gateway stops', () => {
  it('ends the open streams, so the gateway can stop and clients reconnect elsewhere', async () => {
    const gateway = await HttpGateway.start();
    const log = new ChangeLog();
    gateway.projection.answer(ReadChanges, (query) => log.read(query));
    const stream = await EventStream.open(`${gateway.url}/api/v1/events`, {
      authorization: `Bearer ${gateway.keys.admin}`,
    });
    await until('the stream ready', () => stream.named('ready').length > 0);
    await gateway.close();
    await stream.done;
    expect(stream.ended).toBe(true);
  });
});
