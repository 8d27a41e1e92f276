import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseConfig } from '@clocktower/config';
import type { EventStore } from '@clocktower/event-store';
import { InProcessMessageBus } from '@clocktower/messaging';
import { openEventStore, startService, type RunningService } from '@clocktower/platform';
import { until } from '@clocktower/testing';
import { GatewayConfig } from '../../src/app/config.js';
import { GatewayDefinition } from '../../src/app/gateway.definition.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { bearer } from '../support/users.js';

const cliScript = resolve(import.meta.dirname, '../../dist/app/users.cli.js');
if (!existsSync(cliScript)) {
  throw new Error('the gateway is not built: run `npm run build` (npm test does it first)');
}

const run = promisify(execFile);

/** The built `clocktower-users` in its own process, writing to the SQLite file a gateway reads. */
describe('users CLI as its own process beside a running gateway', () => {
  let dataDir: string;
  let store: EventStore;
  let bus: InProcessMessageBus;
  let gateway: RunningService;

  const cli = (...args: string[]) =>
    run(process.execPath, [cliScript, ...args], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', CLOCKTOWER_DATA: dataDir },
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ct-users-cli-e2e-'));
    const config = parseConfig(GatewayConfig, {
      PORT: '0',
      CLOCKTOWER_BUS: 'in-process',
      CLOCKTOWER_DATA: dataDir,
    });
    store = await openEventStore(config);
    bus = new InProcessMessageBus();
    gateway = await startService(GatewayDefinition, {
      config,
      bus,
      store,
      logger: new RecordingLogger(),
      http: true,
    });
    await until('the gateway ready', async () => (await fetch(`${gateway.url}/readyz`)).ok);
  });

  afterAll(async () => {
    await gateway?.close();
    await bus?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes a user and a key that the gateway accepts within a poll, and says why it fails', async () => {
    await cli('create', '--email', 'ada@example.org', '--name', 'Ada', '--role', 'admin');
    const { stdout } = await cli('key', 'create', '--email', 'ada@example.org');
    const key = stdout.trim();
    expect(key).toMatch(/^ct_[A-Za-z0-9]{12}_[A-Za-z0-9]{43}$/);
    await until(
      'the gateway to accept the key',
      async () =>
        (await fetch(`${gateway.url}/api/v1/admin/users`, { headers: bearer(key) })).status === 200,
    );

    const failed = await cli('create', '--email', 'ada@example.org', '--name', 'Ada').catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({
      code: 1,
      stderr: 'users: a user with the email ada@example.org already exists\n',
    });
  });
});
