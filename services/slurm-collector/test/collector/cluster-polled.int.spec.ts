import { afterEach, describe, expect, it } from '@jest/globals';
import { ClusterPolled, Subjects } from '@clocktower/contracts';
import { InMemoryEventStore } from '@clocktower/event-store';
import { InProcessMessageBus } from '@clocktower/messaging';
import { createLogger, startService, type RunningService } from '@clocktower/platform';
import { parseConfig } from '@clocktower/config';
import { until } from '@clocktower/testing';
import { SlurmCollectorDefinition } from '../../src/app/slurm-collector.definition.js';
import { SlurmCollectorConfig } from '../../src/app/config.js';

describe('the collector telling the bus about its polls', () => {
  let running: RunningService | undefined;
  const bus = new InProcessMessageBus();

  afterEach(async () => {
    await running?.close();
    await bus.close();
  });

  it('publishes ClusterPolled after a poll, so the projection can show how fresh a cluster is', async () => {
    const polls: ClusterPolled[] = [];
    bus.subscribe(Subjects.event(ClusterPolled.category, ClusterPolled), (message) => {
      polls.push(message.data as ClusterPolled);
    });
    const config = parseConfig(SlurmCollectorConfig, {
      CLOCKTOWER_BUS: 'in-process',
      CLOCKTOWER_STORE: 'memory',
      LOG_LEVEL: 'error',
    });
    running = await startService(SlurmCollectorDefinition, {
      config,
      bus,
      store: new InMemoryEventStore(),
      logger: createLogger(config),
      http: false,
    });
    await until('a ClusterPolled notification', () => polls.length > 0);
    expect(polls[0]).toEqual({ cluster: 'simulated', ok: true, polledAt: expect.any(String) });
    expect(Number.isNaN(Date.parse(polls[0]!.polledAt))).toBe(false);
  });
});
