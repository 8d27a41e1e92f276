import { describe, expect, it } from '@jest/globals';
import { createSnapshotFixture } from '../../src/adapters/simulator/snapshot-fixture.js';
import { squeueJobRecord } from '../../src/adapters/simulator/squeue-json.render.js';

/** Each job's record as the body holds it, by job id. */
function records(fixture: ReturnType<typeof createSnapshotFixture>): Map<number, string> {
  const out = new Map<number, string>();
  for (const job of fixture.jobs())
    out.set(job.jobId, JSON.stringify(squeueJobRecord(fixture, job)));
  return out;
}

describe('createSnapshotFixture', () => {
  it('builds the same snapshot for the same seed, another for another seed', () => {
    const a = createSnapshotFixture({ jobs: 2_000, nodes: 100, seed: 1 });
    const b = createSnapshotFixture({ jobs: 2_000, nodes: 100, seed: 1 });
    const c = createSnapshotFixture({ jobs: 2_000, nodes: 100, seed: 2 });
    expect(a.squeueJson()).toBe(b.squeueJson());
    expect(a.squeueJson()).not.toBe(c.squeueJson());
  });

  it('changes exactly the share of jobs it is asked to, and nothing else in squeue', () => {
    const fixture = createSnapshotFixture({ jobs: 10_000, nodes: 500, seed: 4 });
    const before = records(fixture);
    const changed = fixture.mutate(0.01);
    const after = records(fixture);
    const differing = [...after]
      .filter(([id, record]) => before.get(id) !== record)
      .map(([id]) => id);
    expect(changed).toHaveLength(100);
    expect(new Set(changed).size).toBe(100);
    expect(differing.sort()).toEqual([...changed].sort());
    expect([...after.keys()]).toEqual([...before.keys()]);
  });

  it('holds 100,000 jobs on 5,000 nodes, and a 1% step changes exactly 1,000 of them', () => {
    const fixture = createSnapshotFixture({ jobs: 100_000, nodes: 5_000, seed: 1 });
    const body = fixture.squeueJson();
    const document = JSON.parse(body) as {
      meta: { plugin: { type: string } };
      jobs: { job_state: string }[];
    };
    expect(document.meta.plugin.type).toBe('openapi/v0.0.38');
    expect(document.jobs).toHaveLength(100_000);
    expect(new Set(document.jobs.map((j) => j.job_state))).toEqual(
      new Set(['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'TIMEOUT']),
    );
    expect((JSON.parse(fixture.sinfoJson()) as { nodes: unknown[] }).nodes).toHaveLength(5_000);

    const before = records(fixture);
    const changed = fixture.mutate(0.01);
    const after = records(fixture);
    expect(changed).toHaveLength(1_000);
    expect([...after].filter(([id, record]) => before.get(id) !== record)).toHaveLength(1_000);
    for (const node of fixture.nodes) {
      expect(node.allocCpus <= node.cpus && node.allocMemoryMB <= node.memoryMB).toBe(true);
    }
  });
});
