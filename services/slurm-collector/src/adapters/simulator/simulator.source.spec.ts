import { describe, expect, it } from '@jest/globals';
import type {
  SlurmDocument,
  SacctJob,
  SinfoNode,
  SqueueJob,
} from '../../../test/simulator/simulator-support.js';
import type { RawOutput } from '../../domain/raw-output.js';
import { SlurmSourceError } from '../sources/slurm-source.port.js';
import { SimulatorSource, type SimulatorSourceOptions } from './simulator.source.js';

/** A clock the test moves by hand. */
class FakeClock {
  ms = Date.UTC(2026, 2, 2, 9, 0, 0, 400);
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

function source(clock: FakeClock, options: Partial<SimulatorSourceOptions> = {}): SimulatorSource {
  return new SimulatorSource({ now: clock.now, seed: 7, ...options });
}

function jobs(output: RawOutput): SqueueJob[] {
  return (JSON.parse(output.body) as SlurmDocument<SqueueJob>).jobs;
}

async function jobIn(sim: SimulatorSource, jobId: string): Promise<SqueueJob | undefined> {
  return jobs(await sim.queue()).find((j) => String(j.job_id) === jobId);
}

describe('SimulatorSource', () => {
  it('says it is simulated, and which cluster and seed', () => {
    const sim = source(new FakeClock());
    expect(sim.simulated).toBe(true);
    expect(sim.description).toBe('simulated cluster "simulated" (seed 7)');
  });

  it('answers with the cluster at its virtual time, which starts at the injected clock once warmed up', async () => {
    const clock = new FakeClock();
    const sim = source(clock);
    const queue = await sim.queue();
    expect(queue).toMatchObject({
      kind: 'squeue',
      format: 'json',
      observedAt: '2026-03-02T09:00:00.000Z',
    });
    const document = JSON.parse(queue.body) as SlurmDocument<SqueueJob>;
    expect(document.meta.plugin.type).toBe('openapi/v0.0.38');
    expect(document.jobs.some((j) => j.job_state === 'RUNNING')).toBe(true);
    const nodes = await sim.nodes();
    expect(nodes.kind).toBe('sinfo');
    expect((JSON.parse(nodes.body) as SlurmDocument<SinfoNode>).nodes.length).toBe(
      sim.cluster.nodes.length,
    );
  });

  it('moves the cluster `speed` times faster than the injected clock, keeping fractions of a second', async () => {
    const clock = new FakeClock();
    const sim = source(clock, { speed: 10 });
    const start = Date.parse((await sim.queue()).observedAt);
    clock.advance(3_000);
    expect(Date.parse((await sim.queue()).observedAt) - start).toBe(30_000);
    for (let i = 0; i < 20; i++) {
      clock.advance(50);
      sim.tick();
    }
    expect(Date.parse((await sim.queue()).observedAt) - start).toBe(40_000);
  });

  it('gives the same outputs for the same seed and the same clock', async () => {
    const a = new FakeClock();
    const b = new FakeClock();
    const simA = source(a);
    const simB = source(b);
    a.advance(5_000);
    b.advance(5_000);
    expect((await simA.queue()).body).toBe((await simB.queue()).body);
    expect((await simA.nodes()).body).toBe((await simB.nodes()).body);
  });

  it('shows a submitted job at the next snapshot, and its cancel at the one after', async () => {
    const clock = new FakeClock();
    const sim = source(clock);
    const { jobId } = await sim.submit({
      script: '#!/bin/bash\nsleep 600\n',
      name: 'demo-step',
      partition: 'debug',
      timeLimitMinutes: 15,
    });
    expect(await jobIn(sim, jobId)).toMatchObject({
      name: 'demo-step',
      user_name: 'clocktower',
      partition: 'debug',
      job_state: 'PENDING',
    });
    clock.advance(1_000);
    expect((await jobIn(sim, jobId))?.job_state).toMatch(/^(PENDING|RUNNING)$/);
    await sim.cancel({ jobId });
    expect(await jobIn(sim, jobId)).toMatchObject({ job_state: 'CANCELLED' });
  });

  it('lets a script’s sleeps and last exit decide how long its job works and how it ends', async () => {
    const clock = new FakeClock();
    const sim = source(clock, { cluster: { arrivalsPerHour: 0 } });
    const { jobId } = await sim.submit({
      script: '#!/bin/bash\necho start\nsleep 2m\nexit 3\n',
      partition: 'debug',
    });
    clock.advance(2_000);
    expect((await jobIn(sim, jobId))?.job_state).toBe('RUNNING');
    clock.advance(20_000);
    expect(await jobIn(sim, jobId)).toMatchObject({ job_state: 'FAILED', exit_code: 768 });
  });

  it('returns accounting of a window as sacct JSON with the accounting plugin’s meta', async () => {
    const clock = new FakeClock();
    const sim = source(clock);
    const now = new Date(clock.ms);
    const output = await sim.accounting(new Date(now.getTime() - 3_600_000), now);
    const document = JSON.parse(output.body) as SlurmDocument<SacctJob>;
    expect(output.kind).toBe('sacct');
    expect(document.meta.plugin.type).toBe('openapi/dbv0.0.38');
    expect(document.jobs.some((j) => j.state.current === 'COMPLETED')).toBe(true);
  });

  it('refuses a bad request before anything runs, and reports what sbatch or scancel refuse', async () => {
    const sim = source(new FakeClock());
    await expect(sim.submit({ script: 'no interpreter' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'script',
    });
    await expect(sim.submit({ script: '#!/bin/sh\n', name: 'a b' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'name',
    });
    await expect(sim.cancel({ jobId: '1; id' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'jobId',
    });
    await expect(sim.accounting(new Date(2), new Date(1))).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      field: 'since',
    });
    await expect(sim.submit({ script: '#!/bin/sh\n', partition: 'nope' })).rejects.toMatchObject({
      code: 'COMMAND_FAILED',
    });
    await expect(sim.cancel({ jobId: '1' })).rejects.toBeInstanceOf(SlurmSourceError);
  });

  it('is not used after close', async () => {
    const sim = source(new FakeClock());
    await sim.close();
    await expect(sim.queue()).rejects.toBeInstanceOf(SlurmSourceError);
  });
});
