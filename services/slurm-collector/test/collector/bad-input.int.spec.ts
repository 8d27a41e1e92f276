import { describe, expect, it } from '@jest/globals';
import { InMemoryEventStore, type RecordedEvent } from '@clocktower/event-store';
import { SimulatorSource } from '../../src/adapters/simulator/simulator.source.js';
import { SlurmSourceError } from '../../src/adapters/sources/slurm-source.port.js';
import type { RawOutput } from '../../src/domain/raw-output.js';
import { ClusterPoller } from '../../src/app/polling/cluster-poller.js';
import { CapturingLogger } from './collector-support.js';

/** The simulated cluster, with a switch that breaks what its queue answers. */
class BreakableSource extends SimulatorSource {
  breakQueue: ((good: RawOutput) => RawOutput) | 'timeout' | undefined;

  override async queue(): Promise<RawOutput> {
    const good = await super.queue();
    if (this.breakQueue === 'timeout')
      throw new SlurmSourceError('TIMEOUT', 'squeue: no answer within 30000 ms');
    return this.breakQueue ? this.breakQueue(good) : good;
  }
}

async function all(store: InMemoryEventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

const BREAKAGES: [string, BreakableSource['breakQueue'], RegExp][] = [
  [
    'truncated JSON',
    (good) => ({ ...good, body: good.body.slice(0, good.body.length / 2) }),
    /queue: /,
  ],
  [
    'not JSON at all',
    (good) => ({ ...good, body: 'slurm_load_jobs error: Socket timed out on send/recv operation' }),
    /queue: /,
  ],
  [
    'an unknown format version',
    (good) => ({
      ...good,
      body: JSON.stringify({ meta: { plugin: { type: 'openapi/v9.9.9' } }, jobs: 'nope' }),
    }),
    /queue: /,
  ],
  ['a command that times out', 'timeout', /TIMEOUT|no answer/],
];

describe('bad input from a cluster', () => {
  it.each(BREAKAGES)(
    'records a poll that got %s as failed, keeps the last good state, writes no partial events and recovers',
    async (_what, breakage, reason) => {
      let now = Date.parse('2026-01-05T08:00:00Z');
      const source = new BreakableSource({ now: () => now, seed: 7, clusterName: 'sim' });
      const store = new InMemoryEventStore();
      const logger = new CapturingLogger();
      const poller = new ClusterPoller({ cluster: 'sim', source, store, logger });
      await poller.poll('nodes');
      await poller.poll('queue');
      const good = await all(store);
      const jobsBefore = new Map(poller.state.jobs);

      now += 60_000;
      source.breakQueue = breakage;
      await poller.poll('queue');
      await poller.poll('queue');
      const afterFailures = await all(store);
      // Exactly one event: the cluster became unreachable (once, not at every failed poll).
      expect(afterFailures.slice(good.length).map((e) => e.type)).toEqual(['ClusterUnreachable']);
      expect(afterFailures.at(-1)!.data['reason']).toMatch(reason);
      expect(poller.status()).toMatchObject({
        reachable: false,
        consecutiveFailures: 2,
        lastFailure: { poll: 'queue', reason: expect.stringMatching(reason) },
      });
      expect(poller.state.jobs).toEqual(jobsBefore);
      expect(logger.at('warn')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            msg: 'poll failed; keeping the last good state',
            cluster: 'sim',
          }),
        ]),
      );

      source.breakQueue = undefined;
      await poller.poll('queue');
      const recovered = (await all(store)).slice(afterFailures.length);
      expect(recovered[0]!.type).toBe('ClusterReachable');
      expect(poller.status()).toMatchObject({ reachable: true, consecutiveFailures: 0 });
    },
  );
});
