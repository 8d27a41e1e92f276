import { describe, expect, it } from '@jest/globals';
import { SimulatorSource } from '../../src/adapters/simulator/simulator.source.js';
import { parseJobs, parseNodes } from '../../src/domain/parsers/index.js';

/**
 * The collector's own parsers read the simulator's output as they read a real cluster's: the
 * embedded demo goes through the same code as production.
 */
describe('the collector’s parsers read the simulated cluster', () => {
  let ms = Date.UTC(2026, 4, 4, 12);
  const sim = new SimulatorSource({ now: () => ms, seed: 3 });

  it('reads every queued job, with states, exit codes, arrays and allocations', async () => {
    const { jobId: failing } = await sim.submit({
      script: '#!/bin/bash\nsleep 10\nexit 3\n',
      partition: 'debug',
      name: 'fails',
    });
    // Poll the virtual cluster (100 virtual seconds a step, well within MinJobAge) until the job has run.
    const stateOf = async (): Promise<string | undefined> =>
      parseJobs(await sim.queue(), 'simulated').find((j) => j.jobId === failing)?.state;
    for (let step = 0; step < 200 && (await stateOf()) !== 'FAILED'; step++) ms += 10_000;
    const output = await sim.queue();
    const jobs = parseJobs(output, 'simulated');
    const records = (JSON.parse(output.body) as { jobs: unknown[] }).jobs;
    expect(jobs).toHaveLength(records.length);
    expect(
      jobs.some((j) => j.state === 'RUNNING' && j.nodes !== null && (j.allocated.cpus ?? 0) > 0),
    ).toBe(true);
    expect(jobs.some((j) => j.arrayJobId !== null)).toBe(true);
    expect(jobs.find((j) => j.jobId === failing)).toMatchObject({
      state: 'FAILED',
      exitCode: 3,
      name: 'fails',
    });
  });

  it('reads every node, with drains and GPUs', async () => {
    sim.cluster.drainNode('ga02', 'GPU XID 79: fell off the bus', 'root');
    const nodes = parseNodes(await sim.nodes(), 'simulated');
    expect(nodes).toHaveLength(sim.cluster.nodes.length);
    expect(nodes.find((n) => n.name === 'ga02')).toMatchObject({
      flags: ['DRAIN'],
      reason: 'GPU XID 79: fell off the bus',
      reasonSetBy: 'root',
      gpus: 4,
      gpuType: 'a100',
    });
  });

  it('reads accounting, where exit codes survive', async () => {
    const until = new Date(ms);
    const jobs = parseJobs(await sim.accounting(new Date(ms - 3 * 3_600_000), until), 'simulated');
    expect(jobs.length).toBeGreaterThan(100);
    expect(jobs.some((j) => j.state === 'FAILED' && (j.exitCode ?? 0) > 0)).toBe(true);
  });
});
