import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import { parseConfig } from '@clocktower/config';
import { ServiceName, StreamCategory } from '@clocktower/contracts';
import { InMemoryEventStore, type EventStore } from '@clocktower/event-store';
import { InProcessMessageBus } from '@clocktower/messaging';
import { startService, type RunningService, type ServiceDefinition } from '@clocktower/platform';
import { until } from '@clocktower/testing';
import { GatewayConfig } from '../../src/app/config.js';
import { CurrentPrincipal, CurrentScope, Public, Roles } from '../../src/auth/auth.decorators.js';
import { AuthModule } from '../../src/auth/auth.module.js';
import type { Principal } from '../../src/auth/principal.js';
import type { QueryScope } from '../../src/auth/scope.js';
import { UserAccounts } from '../../src/auth/user-accounts.js';
import { UserDirectory } from '../../src/auth/user-directory.js';
import { RecordingLogger } from '../support/recording-logger.js';
import { bearer, createUserWithKey, untilKeyWorks, type TestUserKey } from '../support/users.js';

/** Routes that show what the guard decided, beside the AuthModule as the gateway has it. */
@Controller('api/v1/probe')
class ProbeController {
  @Get('whoami')
  whoami(@CurrentPrincipal() principal: Principal, @CurrentScope() scope: QueryScope) {
    return { principal, scope };
  }

  @Get('admin-only')
  @Roles('admin')
  adminOnly() {
    return { ok: true };
  }

  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }
}

const probeDefinition: ServiceDefinition<GatewayConfig> = {
  name: ServiceName.Gateway,
  configClass: GatewayConfig,
  needsStore: true,
  module: (context) => {
    @Module({ imports: [AuthModule.forContext(context)], controllers: [ProbeController] })
    class ProbeModule {}
    return { module: ProbeModule };
  },
};

interface Probe {
  readonly url: string;
  readonly logger: RecordingLogger;
  close(): Promise<void>;
}

async function startProbe(store: EventStore, env: Record<string, string> = {}): Promise<Probe> {
  const config = parseConfig(GatewayConfig, { PORT: '0', CLOCKTOWER_STORE: 'memory', ...env });
  const bus = new InProcessMessageBus();
  const logger = new RecordingLogger();
  const running: RunningService = await startService(probeDefinition, {
    config,
    bus,
    store,
    logger,
    http: true,
  });
  const url = running.url!;
  await until('the user directory caught up', async () => (await fetch(`${url}/readyz`)).ok);
  return {
    url,
    logger,
    close: async () => {
      await running.close();
      await bus.close();
    },
  };
}

describe('API key guard', () => {
  const store = new InMemoryEventStore();
  let probe: Probe;
  let everyone: Probe;
  let admin: TestUserKey;
  let ada: TestUserKey;
  let limited: TestUserKey;

  beforeAll(async () => {
    probe = await startProbe(store);
    everyone = await startProbe(store, { CLOCKTOWER_ALL_JOBS_VISIBLE: 'true' });
    admin = await createUserWithKey(store, { email: 'root@example.org', role: 'admin' });
    ada = await createUserWithKey(store, { email: 'ada@example.org', slurmUser: 'ada' });
    limited = await createUserWithKey(store, {
      email: 'grace@example.org',
      slurmUser: 'grace',
      clusters: ['lab'],
    });
    await untilKeyWorks(probe.url, limited.key);
    await untilKeyWorks(everyone.url, limited.key);
  });

  afterAll(async () => {
    await probe?.close();
    await everyone?.close();
    await store.close();
  });

  const get = (path: string, headers: Record<string, string> = {}, base = probe.url) =>
    fetch(`${base}${path}`, { headers });

  it('answers 401 in JSON with a Bearer challenge and what to do when no key is sent', async () => {
    const response = await get('/api/v1/probe/whoami');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="clocktower"');
    expect(await response.json()).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: expect.stringMatching(/Authorization: Bearer <key>.*key create/),
    });
  });

  it('answers 401 for another authorization scheme', async () => {
    const response = await get('/api/v1/probe/whoami', { authorization: 'Basic YWRhOnB3' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /must be "Bearer <key>"/,
    );
  });

  it('answers 401 invalid_token for a malformed key, without echoing it', async () => {
    const response = await get('/api/v1/probe/whoami', bearer('hunter2-not-a-key'));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="clocktower", error="invalid_token"',
    );
    const text = await response.text();
    expect(text).toMatch(/malformed/);
    expect(text).not.toContain('hunter2');
  });

  it('answers 401 for a well-formed key nobody was given', async () => {
    const response = await get('/api/v1/probe/whoami', bearer(`ct_AAAAAAAAAAAA_${'B'.repeat(43)}`));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toMatch(/not valid/);
  });

  it('answers 401 for a real key id with a wrong secret, as if the key were unknown', async () => {
    const forged = `${ada.key.slice(0, -4)}${ada.key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const response = await get('/api/v1/probe/whoami', bearer(forged));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toMatch(/not valid/);
  });

  it('lets a valid key through and hands the handler its principal and query scope', async () => {
    const response = await get('/api/v1/probe/whoami', bearer(ada.key));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      principal: {
        userId: ada.userId,
        email: 'ada@example.org',
        name: 'ada',
        role: 'user',
        slurmUser: 'ada',
        clusters: null,
        keyId: ada.keyId,
      },
      scope: { onlyUser: 'ada' },
    });
  });

  it('scopes a user to their own jobs, an admin to none, a limited user to their clusters', async () => {
    const scope = async (key: string, base = probe.url) =>
      (
        (await (await get('/api/v1/probe/whoami', bearer(key), base)).json()) as {
          scope: QueryScope;
        }
      ).scope;
    expect(await scope(admin.key)).toEqual({});
    expect(await scope(limited.key)).toEqual({ onlyUser: 'grace', onlyClusters: ['lab'] });
    // CLOCKTOWER_ALL_JOBS_VISIBLE: every user sees every job; cluster limits still hold.
    expect(await scope(ada.key, everyone.url)).toEqual({});
    expect(await scope(limited.key, everyone.url)).toEqual({ onlyClusters: ['lab'] });
  });

  it('answers 403 to a user on an admin route, and lets an admin through', async () => {
    const refused = await get('/api/v1/probe/admin-only', bearer(ada.key));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: expect.stringMatching(/for admin users; you \(ada@example.org\) are user/),
    });
    expect((await get('/api/v1/probe/admin-only', bearer(admin.key))).status).toBe(200);
    // No key at all is still 401, not 403: authentication comes first.
    expect((await get('/api/v1/probe/admin-only')).status).toBe(401);
  });

  it('needs no key on @Public() routes, outside /api/, or for the API documents', async () => {
    expect((await get('/api/v1/probe/open')).status).toBe(200);
    expect((await get('/healthz')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
    // No such route, but the guard does not stand in the way: 404, not 401.
    expect((await get('/api/docs-json')).status).toBe(404);
  });

  it('refuses a revoked key within a moment of its revocation, saying it was revoked', async () => {
    const victim = await createUserWithKey(store, { email: 'mallory@example.org' });
    await untilKeyWorks(probe.url, victim.key);
    const accounts = new UserAccounts(store, await UserDirectory.load(store));
    await accounts.revokeApiKey(victim.userId, victim.keyId, {
      by: admin.userId,
      correlationId: 'c',
    });
    await until(
      'the revocation to reach the gateway',
      async () => (await get('/api/v1/probe/whoami', bearer(victim.key))).status === 401,
    );
    const response = await get('/api/v1/probe/whoami', bearer(victim.key));
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(((await response.json()) as { message: string }).message).toMatch(/revoked/);
  });

  it('logs refusals by key id only: no key, secret or hash ever reaches the log', async () => {
    await get('/api/v1/probe/whoami', bearer(`${ada.key.slice(0, -1)}Z`));
    const log = probe.logger.text();
    expect(log).toMatch(/API key refused/);
    expect(log).toContain(ada.keyId);
    const keys = [admin, ada, limited].map((k) => k.key);
    const secrets = keys.map((k) => k.split('_')[2]!);
    const hashes: string[] = [];
    for await (const event of store.readAll({ category: StreamCategory.User })) {
      if (event.type === 'ApiKeyCreated') hashes.push((event.data as { sha256: string }).sha256);
    }
    for (const secret of [...secrets, ...hashes]) expect(log).not.toContain(secret);
  });
});
