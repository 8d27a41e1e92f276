import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, labComponent, runNode, until, type ChildRun } from '@clocktower/testing';

const root = resolve(import.meta.dirname, '../../..');
const main = (service: string): string => join(root, 'services', service, 'dist/app/main.js');
if (!existsSync(main('gateway'))) {
  throw new Error('services are not built: run `npm run build` (npm test does it first)');
}

interface SystemHealth {
  ready: boolean;
  services: {
    service: string;
    ready: boolean;
    error?: string;
    checks?: { name: string; ok: boolean }[];
  }[];
}

const nats = await labComponent('nats');

(nats.available ? describe : describe.skip)('services as separate processes over NATS', () => {
  const natsUrl = nats.available ? nats.value : '';
  const children: ChildRun[] = [];
  let dataDir: string;
  let gatewayUrl: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ct-e2e-'));
    const gatewayPort = await freePort();
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    // Its own subjects on the shared NATS: a developer's Clocktower (or another run of this suite)
    // on the default prefix would otherwise answer the health queries as well.
    const bus = {
      NATS_URL: natsUrl,
      CLOCKTOWER_SUBJECT_PREFIX: `dist${randomBytes(4).toString('hex')}`,
    };
    // The gateway keeps its users in the store: the collector's SQLite file, shared on this host.
    const services: [string, Record<string, string>][] = [
      ['gateway', { PORT: String(gatewayPort), CLOCKTOWER_DATA: dataDir }],
      ['slurm-collector', { PORT: String(await freePort()), CLOCKTOWER_DATA: dataDir }],
      ['job-projection', { PORT: String(await freePort()), CLOCKTOWER_STORE: 'memory' }],
    ];
    for (const [service, env] of services)
      children.push(runNode(main(service), { ...bus, ...env }));
    let last: unknown;
    try {
      await until(
        'gateway and two services ready',
        async () => {
          const exited = children.findIndex(
            (c) => c.child.exitCode !== null || c.child.signalCode !== null,
          );
          if (exited >= 0) throw new Error(`${services[exited]![0]} exited at start`);
          const health = await fetch(`${gatewayUrl}/api/v1/system/health`)
            .then((r) => r.json() as Promise<SystemHealth>)
            .catch((error: unknown) => String(error));
          last = health;
          return (
            ((health as Partial<SystemHealth>).services?.filter((s) => s.ready).length ?? 0) === 3
          );
        },
        30_000,
        100,
      );
    } catch (error) {
      // Which service was not ready, and what each printed: a start that fails in CI is read here.
      const outputs = children.map((c, i) => `--- ${services[i]![0]}:\n${c.output()}`);
      throw new Error(
        [String(error), `last system health: ${JSON.stringify(last)}`, ...outputs].join('\n'),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the running services ready and the missing ones not ready at once, with the reason', async () => {
    const response = await fetch(`${gatewayUrl}/api/v1/system/health`);
    expect(response.status).toBe(503);
    const health = (await response.json()) as SystemHealth;
    const byName = Object.fromEntries(health.services.map((s) => [s.service, s]));
    expect(byName['gateway']?.ready).toBe(true);
    expect(byName['slurm-collector']?.checks).toEqual([
      { name: 'message-bus', ok: true, detail: 'nats' },
      {
        name: 'event-store',
        ok: true,
        detail: expect.stringMatching(/^sqlite, head position \d+$/),
      },
      { name: 'cluster simulated', ok: true, detail: expect.stringMatching(/^simulated cluster/) },
    ]);
    expect(byName['job-projection']?.ready).toBe(true);
    expect(byName['pipeline-orchestrator']).toMatchObject({
      ready: false,
      error: expect.stringMatching(/no service answers/),
    });
    expect(byName['service-manager']).toMatchObject({
      ready: false,
      error: expect.stringMatching(/no service answers/),
    });
  });

  it("serves each service's own health endpoints", async () => {
    const response = await fetch(`${gatewayUrl}/readyz`);
    expect(response.status).toBe(200);
  });

  it('stops a service cleanly on SIGTERM', async () => {
    const collector = children[1]!;
    await collector.stop();
    expect(await collector.exited).toBe(0);
  });
});

describe('a service that cannot start says why and exits', () => {
  it('names every bad configuration key and exits with code 2', async () => {
    const run = runNode(main('gateway'), { PORT: '99999', CLOCKTOWER_BUS: 'carrier-pigeon' });
    expect(await run.exited).toBe(2);
    expect(run.output()).toMatch(/PORT: .*\(got "99999"\)/);
    expect(run.output()).toMatch(/CLOCKTOWER_BUS: .*\(got "carrier-pigeon"\)/);
  });

  it('refuses a corrupt event store file at start, with what to do, and leaves the file alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ct-corrupt-'));
    const garbage = 'not a database\n'.repeat(100);
    writeFileSync(join(dir, 'events.db'), garbage);
    const run = runNode(main('slurm-collector'), {
      CLOCKTOWER_BUS: 'in-process',
      CLOCKTOWER_DATA: dir,
      PORT: String(await freePort()),
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(
      /not a valid Clocktower event store.*restore it from a backup or move it away/,
    );
    expect(readFileSync(join(dir, 'events.db'), 'utf8')).toBe(garbage);
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails fast when NATS is unreachable, naming the server', async () => {
    const run = runNode(main('gateway'), {
      NATS_URL: 'nats://127.0.0.1:1',
      PORT: String(await freePort()),
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/);
  });
});
