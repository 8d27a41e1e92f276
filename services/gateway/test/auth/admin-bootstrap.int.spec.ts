import { afterEach, describe, expect, it } from '@jest/globals';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@clocktower/config';
import { StreamCategory } from '@clocktower/contracts';
import type { EventStore } from '@clocktower/event-store';
import { InProcessMessageBus } from '@clocktower/messaging';
import { openEventStore, startService } from '@clocktower/platform';
import { until } from '@clocktower/testing';
import { GatewayConfig } from '../../src/app/config.js';
import { GatewayDefinition } from '../../src/app/gateway.definition.js';
import { adminAccess } from '../../src/auth/admin-bootstrap.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { bearer } from '../support/users.js';

interface Started {
  readonly url: string;
  readonly store: EventStore;
  readonly logger: RecordingLogger;
  stop(): Promise<void>;
}

const dirs: string[] = [];
const running: Started[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ct-bootstrap-'));
  dirs.push(dir);
  return dir;
}

/** One start of a gateway on the SQLite store in `dir`, as `npm start` (or a restart) makes it. */
async function start(dir: string, env: Record<string, string> = {}): Promise<Started> {
  const config = parseConfig(GatewayConfig, {
    PORT: '0',
    CLOCKTOWER_BUS: 'in-process',
    CLOCKTOWER_DATA: dir,
    CLOCKTOWER_BOOTSTRAP_ADMIN: 'true',
    ...env,
  });
  const store = await openEventStore(config);
  const bus = new InProcessMessageBus();
  const logger = new RecordingLogger();
  const gateway = await startService(GatewayDefinition, { config, bus, store, logger, http: true });
  const url = gateway.url!;
  await until('the gateway ready', async () => (await fetch(`${url}/readyz`)).ok, 10_000, 20);
  const started: Started = {
    url,
    store,
    logger,
    stop: async () => {
      running.splice(running.indexOf(started), 1);
      await gateway.close();
      await bus.close();
      await store.close();
    },
  };
  running.push(started);
  return started;
}

async function countUserEvents(store: EventStore): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for await (const e of store.readAll({ category: StreamCategory.User })) {
    counts[e.type] = (counts[e.type] ?? 0) + 1;
  }
  return counts;
}

afterEach(async () => {
  for (const started of [...running]) await started.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('admin bootstrap on first start', () => {
  it('creates an admin and writes their key to admin.key, mode 600, logging only the path', async () => {
    const dir = dataDir();
    const first = await start(dir);
    const keyFile = join(dir, 'admin.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8');
    expect(key).toMatch(/^ct_[A-Za-z0-9]{12}_[A-Za-z0-9]{43}\n$/);

    const me = await fetch(`${first.url}/api/v1/users/me`, { headers: bearer(key.trim()) });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      email: 'admin@localhost',
      name: 'Administrator',
      role: 'admin',
      createdBy: 'bootstrap',
    });
    expect(first.logger.text()).toMatch(/admin created/);
    expect(first.logger.text()).toContain(keyFile);
    expect(first.logger.text()).not.toContain(key.trim().split('_')[2]!);
  });

  it('does nothing on a restart: same file, no second admin or key', async () => {
    const dir = dataDir();
    await (await start(dir)).stop();
    const before = readFileSync(join(dir, 'admin.key'), 'utf8');
    const again = await start(dir);
    expect(readFileSync(join(dir, 'admin.key'), 'utf8')).toBe(before);
    expect(await countUserEvents(again.store)).toEqual({ UserCreated: 1, ApiKeyCreated: 1 });
  });

  it('does not replace a deleted admin.key while the admin exists (the banner says how to make one)', async () => {
    const dir = dataDir();
    await (await start(dir)).stop();
    unlinkSync(join(dir, 'admin.key'));
    const again = await start(dir);
    expect(existsSync(join(dir, 'admin.key'))).toBe(false);
    expect(await countUserEvents(again.store)).toEqual({ UserCreated: 1, ApiKeyCreated: 1 });
    expect(await adminAccess(again.store, dir)).toEqual({
      hasAdmin: true,
      adminEmails: ['admin@localhost'],
      keyFile: join(dir, 'admin.key'),
      keyFilePresent: false,
    });
  });

  it('refuses to overwrite an admin.key left from another store, and says what to do', async () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'admin.key'), 'an old key\n', { mode: 0o600 });
    const started = await start(dir);
    expect(readFileSync(join(dir, 'admin.key'), 'utf8')).toBe('an old key\n');
    expect(await countUserEvents(started.store)).toEqual({});
    expect(started.logger.text()).toMatch(
      /no admin created.*exists but the store has no admin.*move it away/,
    );
  });

  it('uses CLOCKTOWER_ADMIN_EMAIL, and does nothing at all unless CLOCKTOWER_BOOTSTRAP_ADMIN is on', async () => {
    const dir = dataDir();
    const custom = await start(dir, { CLOCKTOWER_ADMIN_EMAIL: 'Ops@Site.example' });
    const key = readFileSync(join(dir, 'admin.key'), 'utf8').trim();
    const me = await fetch(`${custom.url}/api/v1/users/me`, { headers: bearer(key) });
    expect(await me.json()).toMatchObject({
      email: 'ops@site.example',
      role: 'admin',
      slurmUser: 'ops',
    });

    const off = dataDir();
    const plain = await start(off, { CLOCKTOWER_BOOTSTRAP_ADMIN: 'false' });
    expect(existsSync(join(off, 'admin.key'))).toBe(false);
    expect(await countUserEvents(plain.store)).toEqual({});
  });
});
