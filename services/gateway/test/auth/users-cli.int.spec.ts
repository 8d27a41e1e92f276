import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@clocktower/config';
import { StreamCategory } from '@clocktower/contracts';
import type { EventStore } from '@clocktower/event-store';
import { InProcessMessageBus } from '@clocktower/messaging';
import { openEventStore, startService, type RunningService } from '@clocktower/platform';
import { until } from '@clocktower/testing';
import { GatewayConfig } from '../../src/app/config.js';
import { GatewayDefinition } from '../../src/app/gateway.definition.js';
import { runUsersCli } from '../../src/app/users-cli.program.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { bearer } from '../support/users.js';

/**
 * The CLI opens its own connection to the SQLite file, as it does in its own process: the running
 * gateway learns of its appends only by polling the file, the path a separate process takes.
 */
describe('users CLI beside a running gateway on the same SQLite file', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let store: EventStore;
  let bus: InProcessMessageBus;
  let gateway: RunningService;
  let url: string;

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runUsersCli(args, env, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  const me = (key: string) => fetch(`${url}/api/v1/users/me`, { headers: bearer(key) });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ct-users-cli-'));
    env = { CLOCKTOWER_DATA: dataDir };
    const config = parseConfig(GatewayConfig, { ...env, PORT: '0', CLOCKTOWER_BUS: 'in-process' });
    store = await openEventStore(config);
    bus = new InProcessMessageBus();
    gateway = await startService(GatewayDefinition, {
      config,
      bus,
      store,
      logger: new RecordingLogger(),
      http: true,
    });
    url = gateway.url!;
    await until('the gateway ready', async () => (await fetch(`${url}/readyz`)).ok, 10_000, 20);
  });

  afterAll(async () => {
    await gateway?.close();
    await bus?.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a user and a key that the running gateway accepts within a poll', async () => {
    const created = await cli(
      'create',
      '--email',
      'ada@example.org',
      '--name',
      'Ada',
      '--clusters',
      'lab,hpc',
    );
    expect(created).toMatchObject({ code: 0 });
    expect(created.out).toMatch(
      /^created ada@example.org \(Ada; role user; slurm user ada; clusters lab,hpc; id [0-9a-f]{24}\)$/,
    );

    const made = await cli('key', 'create', '--email', 'ada@example.org', '--label', 'laptop');
    expect(made.code).toBe(0);
    // Only the key on stdout, so `> file` captures exactly it; the rest goes to stderr.
    expect(made.out).toMatch(/^ct_[A-Za-z0-9]{12}_[A-Za-z0-9]{43}$/);
    expect(made.err).toMatch(/shown only this once/);
    await until(
      'the gateway to accept the CLI-made key',
      async () => (await me(made.out)).status === 200,
    );
    expect(await (await me(made.out)).json()).toMatchObject({
      email: 'ada@example.org',
      access: { jobsOfUser: 'ada', clusters: ['lab', 'hpc'] },
    });

    // Who made them: the CLI and the Unix account it ran as.
    for await (const event of store.readAll({ category: StreamCategory.User })) {
      const data = event.data as { createdBy?: string };
      if (data.createdBy !== undefined) expect(data.createdBy).toMatch(/^cli:/);
    }
  });

  it('lists users and keys without hashes, and revokes a key so the gateway refuses it', async () => {
    const made = await cli('key', 'create', '--email', 'ada@example.org');
    const keyId = made.out.split('_')[1]!;
    await until('the key accepted', async () => (await me(made.out)).status === 200);

    const list = await cli('list');
    expect(list.out.split('\n')[0]).toMatch(
      /^EMAIL +NAME +ROLE +SLURM USER +CLUSTERS +ACTIVE KEYS +USER ID$/,
    );
    expect(list.out).toMatch(/ada@example.org +Ada +user +ada +lab,hpc +2 /);
    const keys = await cli('key', 'list', '--email', 'ada@example.org', '--json');
    const parsed = JSON.parse(keys.out) as { keyId: string; label: string }[];
    expect(parsed.map((k) => k.keyId)).toContain(keyId);
    expect(keys.out).not.toMatch(/sha256|[0-9a-f]{64}/);

    const revoked = await cli('key', 'revoke', '--key-id', keyId);
    expect(revoked).toMatchObject({ code: 0, out: `revoked API key ${keyId} of ada@example.org` });
    await until(
      'the gateway to refuse the revoked key',
      async () => (await me(made.out)).status === 401,
    );
    expect((await cli('key', 'list', '--email', 'ada@example.org')).out).toMatch(
      new RegExp(`${keyId} +- +\\S+ +cli:\\S+ +revoked \\S+ by cli:`),
    );
  });

  it('promotes a user with update, and refuses to demote the last admin', async () => {
    expect((await cli('update', '--email', 'ada@example.org', '--role', 'admin')).code).toBe(0);
    const demote = await cli('update', '--email', 'ada@example.org', '--role', 'user');
    expect(demote.code).toBe(1);
    expect(demote.err).toMatch(/only admin/);
  });

  it('fails with exit code 1 and the reason when a rule is broken', async () => {
    const duplicate = await cli('create', '--email', 'ADA@example.org', '--name', 'Other');
    expect(duplicate).toMatchObject({
      code: 1,
      err: 'users: a user with the email ada@example.org already exists',
    });
    expect(await cli('key', 'create', '--email', 'nobody@example.org')).toMatchObject({
      code: 1,
      err: 'users: no user nobody@example.org',
    });
    expect(await cli('key', 'revoke', '--key-id', 'NOSUCHKEY000')).toMatchObject({
      code: 1,
      err: 'users: no API key NOSUCHKEY000',
    });
  });

  it('fails with exit code 2 and the usage when called wrongly', async () => {
    for (const args of [
      ['create', '--name', 'No Email'],
      ['create', '--email', 'x@example.org', '--name', 'X', '--role', 'owner'],
      ['create', '--email', 'not an email', '--name', 'X'],
      ['create', '--email', 'x+y@example.org', '--name', 'X'],
      ['create', '--email', 'x@example.org', '--name', 'X', '--clusters', 'Lab!'],
      ['frobnicate'],
      ['list', '--colour'],
    ]) {
      const run = await cli(...args);
      expect([args, run.code]).toEqual([args, 2]);
      expect(run.err).toMatch(/usage: npm run users/);
    }
    expect((await cli('--help')).out).toMatch(/usage: npm run users/);
  });

  it('refuses a memory store and bad configuration with exit code 2, naming the key', async () => {
    const memory = await runUsersCli(
      ['list'],
      { CLOCKTOWER_STORE: 'memory' },
      { out: () => undefined, err: () => undefined },
    );
    expect(memory).toBe(2);
    const err: string[] = [];
    const bad = await runUsersCli(
      ['list'],
      { CLOCKTOWER_STORE: 'floppy' },
      { out: () => undefined, err: (t) => err.push(t) },
    );
    expect(bad).toBe(2);
    expect(err.join('\n')).toMatch(/CLOCKTOWER_STORE: .*\(got "floppy"\)/);
  });
});
