import { describe, expect, it } from '@jest/globals';
import { join, resolve } from 'node:path';
import { ReplaySource } from '../../src/adapters/sources/replay.source.js';
import { Replay, type ReplayedEvent } from '../../src/app/replay/replay.js';

const lab = resolve(import.meta.dirname, '../fixtures/slurm-22.05');
const MOMENTS = [
  't1-running',
  't2-draining',
  't3-ended',
  't4-requeued',
  't5-timeout',
  't6-resumed-cancelled',
  't7-two-nodes',
];

async function replay(dirs: string[]): Promise<{ replay: Replay; events: ReplayedEvent[] }> {
  const run = new Replay('lab');
  const events: ReplayedEvent[] = [];
  await run.run(new ReplaySource({ dirs: dirs.map((d) => join(lab, d)) }).polls(), (e) =>
    events.push(e),
  );
  return { replay: run, events };
}

function history(events: ReplayedEvent[], jobId: string): string[] {
  return events
    .filter((e) => e.data['jobId'] === jobId)
    .map((e) =>
      e.type === 'JobStateChanged'
        ? `${e.data['from'] as string}>${e.data['to'] as string}`
        : e.type,
    );
}

describe('replay of the lab recordings (Slurm 22.05)', () => {
  it('records the sequence of states each job really went through', async () => {
    const { events, replay: run } = await replay(MOMENTS);
    const states = (jobId: string) =>
      history(events, jobId).filter(
        (h) => h.includes('>') || h === 'JobSubmitted' || h === 'JobRequeued',
      );
    const job = (jobId: string) => run.snapshot().jobs.find((j) => j.jobId === jobId)!;
    // 39: `exit 3`
    expect(states('39')).toEqual(expect.arrayContaining(['JobSubmitted']));
    expect(job('39')).toMatchObject({ state: 'FAILED', exitCode: 3 });
    // 40: killed by SIGKILL
    expect(job('40')).toMatchObject({ state: 'FAILED', signal: 9 });
    // 41: hit its one-minute limit
    expect(job('41').state).toBe('TIMEOUT');
    expect(states('41')).toContain('RUNNING>TIMEOUT');
    // 42: cancelled while pending: never ran
    expect(states('42')).toEqual(['JobSubmitted', 'PENDING>CANCELLED']);
    expect(job('42').startTime).toBeNull();
    // 43: cancelled while running
    expect(states('43')).toContain('RUNNING>CANCELLED');
    // 48: two nodes
    expect(job('48').nodes).toBe('node[01-02]');
    // 52: requeued while running, same stream
    expect(states('52')).toContain('JobRequeued');
    expect(new Set(events.filter((e) => e.data['jobId'] === '52').map((e) => e.stream)).size).toBe(
      1,
    );
  });

  it('adds no event when the same directory is replayed twice', async () => {
    const once = await replay(['t1-running', 't3-ended']);
    const twice = await replay(['t1-running', 't1-running', 't3-ended', 't3-ended']);
    expect(twice.events.map((e) => e.eventId)).toEqual(once.events.map((e) => e.eventId));
  });

  it('records node drains with the reason and who set them', async () => {
    const { events } = await replay(['t1-running', 't2-draining']);
    const drained = events.find(
      (e) => e.type === 'NodeStateChanged' && e.data['node'] === 'node02',
    );
    expect(drained?.data).toMatchObject({
      toFlags: expect.arrayContaining(['DRAIN']),
      reason: 'fixture drain',
    });
  });

  it('gives every event a deterministic id, a stream revision and the poll time', async () => {
    const a = await replay(MOMENTS);
    const b = await replay(MOMENTS);
    expect(a.events.map((e) => e.eventId)).toEqual(b.events.map((e) => e.eventId));
    const byStream = new Map<string, number[]>();
    for (const e of a.events)
      byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e.revision]);
    for (const revisions of byStream.values())
      expect(revisions).toEqual(revisions.map((_, i) => i));
  });
});
