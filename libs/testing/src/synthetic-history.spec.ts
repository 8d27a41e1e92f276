import { describe, expect, it } from '@jest/globals';
import {
  CLUSTER_EVENTS,
  JOB_EVENTS,
  MessageRegistry,
  NODE_EVENTS,
  type MessageClass,
} from '@clocktower/contracts';
import { recordedHistory, syntheticHistory } from './synthetic-history.js';

const registry = new MessageRegistry().register(
  ...([...JOB_EVENTS, ...NODE_EVENTS, ...CLUSTER_EVENTS] as unknown as MessageClass[]),
);

describe('syntheticHistory', () => {
  const options = {
    seed: 9,
    jobs: 400,
    clusters: 2,
    nodes: 8,
    maxJobId: 1199,
    meanSubmitIntervalSeconds: 300,
  };
  const events = [...syntheticHistory(options)];

  it('makes events that the contracts’ classes accept', () => {
    for (const event of events.filter((_, i) => i % 3 === 0)) {
      const { stream: _stream, revision: _revision, ...message } = event;
      expect(() => registry.parse(message)).not.toThrow();
    }
  });

  it('replays the same history for the same seed, and another for another seed', () => {
    const again = [...syntheticHistory(options)];
    expect(again).toEqual(events);
    const other = [...syntheticHistory({ seed: 10, jobs: 400, clusters: 2, nodes: 8 })];
    expect(other.slice(0, 50)).not.toEqual(events.slice(0, 50));
  });

  it('observes time moving forward, and numbers each stream’s events from 0 without gaps', () => {
    const revisions = new Map<string, number>();
    let last = '';
    for (const e of events) {
      expect(e.occurredAt >= last).toBe(true);
      last = e.occurredAt;
      expect(e.revision).toBe((revisions.get(e.stream) ?? -1) + 1);
      revisions.set(e.stream, e.revision);
    }
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
  });

  it('names streams as the collector does and covers every outcome', () => {
    expect(
      events.every((e) =>
        /^(job-[a-z]+-\d+-\d+|node-[a-z]+-[a-z]+\d+|cluster-[a-z]+)$/.test(e.stream),
      ),
    ).toBe(true);
    const types = new Set(events.map((e) => e.type));
    for (const cls of [...JOB_EVENTS, ...NODE_EVENTS, ...CLUSTER_EVENTS])
      if (!['JobLeftController', 'NodeResourcesChanged', 'NodeRemoved'].includes(cls.type))
        expect([cls.type, types.has(cls.type)]).toEqual([cls.type, true]);
    const ends = new Set(events.filter((e) => e.type === 'JobEnded').map((e) => e.data['state']));
    expect([...ends].sort()).toEqual([
      'CANCELLED',
      'COMPLETED',
      'FAILED',
      'OUT_OF_MEMORY',
      'TIMEOUT',
    ]);
  });

  it('hands a job id out again past maxJobId, as a new stream', () => {
    const submits = events.filter((e) => e.type === 'JobSubmitted');
    const keys = submits.map((e) => `${String(e.data['cluster'])}/${String(e.data['jobId'])}`);
    expect(new Set(keys).size).toBeLessThan(keys.length);
    expect(new Set(submits.map((e) => e.stream)).size).toBe(submits.length);
  });

  it('says so when maxJobId leaves no free id', () => {
    expect(() => [...syntheticHistory({ jobs: 50, maxJobId: 1003 })]).toThrow(/maxJobId 1003/);
  });

  it('gives store positions in order with recordedHistory', () => {
    const recorded = [...recordedHistory({ seed: 1, jobs: 5 }, 10n)];
    expect(recorded.map((e) => e.position)).toEqual(recorded.map((_, i) => 10n + BigInt(i)));
  });
});
