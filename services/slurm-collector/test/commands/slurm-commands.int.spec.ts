import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CancelJob, SubmitJob } from '@clocktower/contracts';
import { InMemoryEventStore } from '@clocktower/event-store';
import { BusClient, InProcessMessageBus, RemoteHandlerError } from '@clocktower/messaging';
import { createLogger, startService, type RunningService } from '@clocktower/platform';
import { parseConfig } from '@clocktower/config';
import { SlurmCollectorDefinition } from '../../src/app/slurm-collector.definition.js';
import { SlurmCollectorConfig } from '../../src/app/config.js';

const SCRIPT = '#!/bin/bash\nsleep 5\n';

describe('SubmitJob and CancelJob over the bus, against the simulated cluster', () => {
  let running: RunningService | undefined;
  let bus: InProcessMessageBus;
  let store: InMemoryEventStore;

  async function start(): Promise<BusClient> {
    bus = new InProcessMessageBus();
    store = new InMemoryEventStore();
    const config = parseConfig(SlurmCollectorConfig, {
      CLOCKTOWER_BUS: 'in-process',
      CLOCKTOWER_STORE: 'memory',
      LOG_LEVEL: 'error',
    });
    running = await startService(SlurmCollectorDefinition, {
      config,
      bus,
      store,
      logger: createLogger(config),
      http: false,
    });
    return new BusClient(bus);
  }

  afterEach(async () => {
    await running?.close();
    await bus.close();
  });

  it('submits a job and answers a retried command with the same job, never a second one', async () => {
    const client = await start();
    // A retry is the same command: the same id, sent again.
    const commandId = randomUUID();
    const send = () =>
      client.request(
        SubmitJob,
        { cluster: 'simulated', script: SCRIPT, name: 'retry-me', partition: 'cpu' },
        { eventId: commandId },
      );
    const first = await send();
    const [second, third] = await Promise.all([send(), send()]);
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ ...first, duplicate: true });
    expect(third).toEqual({ ...first, duplicate: true });
    const claimed: string[] = [];
    for await (const event of store.readStream(`command-${commandId}`)) claimed.push(event.type);
    expect(claimed).toEqual(['JobSubmissionRequested', 'JobSubmissionAccepted']);
  });

  it('refuses invalid options before anything runs, naming the fields', async () => {
    const client = await start();
    const error = await client
      .request(SubmitJob, {
        cluster: 'simulated',
        script: SCRIPT,
        name: 'bad name; rm -rf /',
        timeLimitMinutes: 0,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteHandlerError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      ((error as RemoteHandlerError).details as { issues: { path: string }[] }).issues
        .map((i) => i.path)
        .sort(),
    ).toEqual(['data.name', 'data.timeLimitMinutes']);
  });

  it('says which cluster it does not know', async () => {
    const client = await start();
    await expect(
      client.request(SubmitJob, { cluster: 'nowhere', script: SCRIPT }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_CLUSTER' });
  });

  it('cancels a job, and cancelling it again is not an error', async () => {
    const client = await start();
    const { jobId } = await client.request(SubmitJob, {
      cluster: 'simulated',
      script: SCRIPT,
      partition: 'cpu',
    });
    await expect(client.request(CancelJob, { cluster: 'simulated', jobId })).resolves.toMatchObject(
      { jobId },
    );
    await expect(client.request(CancelJob, { cluster: 'simulated', jobId })).resolves.toMatchObject(
      { jobId },
    );
  });
});
