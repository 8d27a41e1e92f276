import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@clocktower/config';
import { createLogger } from '@clocktower/platform';
import { until } from '@clocktower/testing';
import { EmbeddedConfig } from '../src/embedded.config.js';
import { startEmbedded, type EmbeddedClocktower } from '../src/embedded.js';

describe('embedded Clocktower: five services in one process on the SQLite store', () => {
  let clocktower: EmbeddedClocktower;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ct-embedded-'));
    const config = parseConfig(EmbeddedConfig, {
      PORT: '0',
      CLOCKTOWER_DATA: dataDir,
      LOG_LEVEL: 'warn',
    });
    clocktower = await startEmbedded(config, createLogger(config));
  });

  afterAll(async () => {
    await clocktower?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is alive and ready on its health endpoints', async () => {
    const live = await fetch(`${clocktower.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok', service: 'gateway' });
    const ready = await fetch(`${clocktower.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      service: 'gateway',
      ready: true,
      // The gateway keeps its users in the store: it reads them before it is ready.
      checks: [
        { name: 'message-bus', ok: true },
        { name: 'event-store', ok: true },
        { name: 'user-directory', ok: true },
      ],
    });
  });

  it('reports all five services ready through the gateway, each with its store and bus checks', async () => {
    // The collector is ready once its first poll of the simulated cluster is in.
    await until(
      'the simulated cluster polled',
      async () => (await fetch(`${clocktower.url}/api/v1/system/health`)).status === 200,
      20_000,
      100,
    );
    const response = await fetch(`${clocktower.url}/api/v1/system/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      ready: boolean;
      services: {
        service: string;
        ready: boolean;
        checks: { name: string; ok: boolean; detail?: string }[];
      }[];
    };
    expect(body.ready).toBe(true);
    expect(body.services.map((s) => s.service).sort()).toEqual([
      'gateway',
      'job-projection',
      'pipeline-orchestrator',
      'service-manager',
      'slurm-collector',
    ]);
    const collector = body.services.find((s) => s.service === 'slurm-collector')!;
    expect(collector.checks).toEqual([
      { name: 'message-bus', ok: true, detail: 'in-process' },
      {
        name: 'event-store',
        ok: true,
        detail: expect.stringMatching(/^sqlite, head position \d+$/),
      },
      {
        name: 'cluster simulated',
        ok: true,
        detail: expect.stringMatching(
          /^simulated cluster "simulated" \(seed 1\); \d+ jobs, 42 nodes; last poll /,
        ),
      },
    ]);
  });

  it('answers unknown routes with 404 in JSON', async () => {
    const response = await fetch(`${clocktower.url}/no/such/route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/json/);
  });
});
